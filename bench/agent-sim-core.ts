import { PROTOCOL_VERSION, type RunRequest, type RunResponse } from '../lib/wire.js';
import type { FleetPki } from './fleet-pki.js';

/** What the agent simulator (agent-sim.ts) is told, and what it reports over IPC. */
export interface SimSpec {
  pki: FleetPki;
  delayMs: number;
  hubAgentUrl: string;
  labels: Record<string, string>;
}

export interface SimStats {
  calls: number;
  /** Wall-clock milliseconds (Date.now) of the first call received and the last answer sent. */
  firstCallAt: number;
  /** Date.now() of the latest call received (optional: only the replicas benchmark reads it). */
  lastCallAt?: number;
  lastAnswerAt: number;
}

export type SimMessage = { type: 'ready'; registered: number; failures: string[] } | { type: 'stats'; stats: SimStats };

/** The answer an exporter gives for a successful probe, sized like a real small http result. */
export function simulatedAnswer(req: RunRequest, delayMs: number): RunResponse {
  return {
    protocol: PROTOCOL_VERSION,
    type: req.type,
    target: req.target,
    success: true,
    duration_seconds: delayMs / 1000,
    timeout_seconds: req.timeout_seconds ?? 10,
    metrics: {
      probe_success: 1,
      probe_http_status_code: 200,
      probe_http_duration_seconds: ['resolve', 'connect', 'tls', 'processing', 'transfer'].map((phase) => ({
        labels: { phase },
        value: phase === 'processing' ? delayMs / 1000 : 0.0001,
      })),
    },
    details: { status_code: 200, http_version: 'HTTP/1.1' },
    logs: [],
  };
}

/** The parts of a request and response (HTTP/1 or HTTP/2 compatibility API) a simulated agent uses. */
export interface SimRequest {
  on(event: 'data', fn: (chunk: Buffer) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
}
export interface SimResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body: string): unknown;
}

/**
 * Answers one POST /api/v1/run after `delayMs`, counting it in `stats`. `answers` keeps the
 * answer per request body: a round sends the same body to every agent, and 1,000 simulated
 * agents in one process re-making it cost as much CPU as the hub under test.
 */
export function answerRun(req: SimRequest, res: SimResponse, stats: SimStats, delayMs: number, answers?: Map<string, string>): void {
  const now = Date.now();
  stats.calls++;
  if (stats.firstCallAt === 0) stats.firstCallAt = now;
  stats.lastCallAt = now;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    setTimeout(() => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body = answers?.get(text);
      if (body === undefined) {
        body = JSON.stringify(simulatedAnswer(JSON.parse(text) as RunRequest, delayMs));
        if (answers && answers.size < 100) answers.set(text, body);
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      stats.lastAnswerAt = Math.max(stats.lastAnswerAt, Date.now());
    }, delayMs);
  });
}
