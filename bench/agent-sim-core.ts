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

/** A cached answer: its JSON before and after the timeout_seconds value, which varies per call. */
export interface CachedAnswer {
  before: string;
  after: string;
}

const TIMEOUT_FIELD = /"timeout_seconds":(-?[0-9.eE+-]+)/;
/** Stands in for the timeout while an answer is made for the cache; no real timeout looks like it. */
const TIMEOUT_MARK = 987654.321;

/**
 * The answer to one request body, from `answers` when the same request came before. The hub
 * sends every agent of a round the same body except timeout_seconds (what is left before the
 * deadline, different per call), so the key is the body without it and the number is spliced
 * into the cached JSON: 1,000 simulated agents in one process parsing and re-making every answer
 * cost as much CPU as the hub under test, on the same two cores.
 */
export function answerFor(text: string, delayMs: number, answers?: Map<string, CachedAnswer>): string {
  const m = TIMEOUT_FIELD.exec(text);
  const key = m ? text.slice(0, m.index) + text.slice(m.index + m[0].length) : text;
  const hit = answers?.get(key);
  if (m && hit) return `${hit.before}${m[1]}${hit.after}`;
  const req = JSON.parse(text) as RunRequest;
  const body = JSON.stringify(simulatedAnswer(req, delayMs));
  if (m && answers && answers.size < 100) {
    const marked = JSON.stringify(simulatedAnswer({ ...req, timeout_seconds: TIMEOUT_MARK }, delayMs));
    const at = marked.indexOf(String(TIMEOUT_MARK));
    if (at >= 0) answers.set(key, { before: marked.slice(0, at), after: marked.slice(at + String(TIMEOUT_MARK).length) });
  }
  return body;
}

/** Answers one POST /api/v1/run after `delayMs`, counting it in `stats` (answers: see answerFor). */
export function answerRun(req: SimRequest, res: SimResponse, stats: SimStats, delayMs: number, answers?: Map<string, CachedAnswer>): void {
  const now = Date.now();
  stats.calls++;
  if (stats.firstCallAt === 0) stats.firstCallAt = now;
  stats.lastCallAt = now;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    setTimeout(() => {
      const body = answerFor(Buffer.concat(chunks).toString('utf8'), delayMs, answers);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      stats.lastAnswerAt = Math.max(stats.lastAnswerAt, Date.now());
    }, delayMs);
  });
}
