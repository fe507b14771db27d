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
