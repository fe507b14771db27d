/**
 * The hub's users' API: the one declaration of what its routes answer, read by its clients (the
 * `pulse` command and the web page) and written by the hub itself (hub/measurement.ts,
 * hub/registry.ts, hub/store/results.ts re-export these). Plain types, no schema library: the
 * web page bundles this file, and the hub owns validation of what it is sent.
 */
import type { BuiltinProbers } from '../lib/probers/builtin.js';
import type { ConnectionView } from '../lib/tunnel.js';
import type { RunResponse } from '../lib/wire.js';
import type { TrendFigure } from './trend.js';

/** The built-in probers users may run ad hoc: those with a `test` entry in lib/probers/builtin.ts. */
export type TestType = { [K in keyof BuiltinProbers]: BuiltinProbers[K] extends { test: object } ? K : never }[keyof BuiltinProbers];
export type RowStatus = 'ok' | 'failed' | 'timeout' | 'offline';
export type Selector = Record<string, string>;

export interface MeasurementRequest {
  /** A built-in test type, or a prober registered in the hub's catalog. */
  type: TestType | (string & {});
  target: string;
  options: Record<string, unknown>;
  agents: Selector;
  /** Seconds; the hub's default is 10, its maximum 120. */
  timeout?: number;
}

/** A labelled sample as the exporter's /api/v1/run renders it. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/**
 * The exporter's /api/v1/run answer, relayed by the hub in each row, with the metrics' shape
 * spelled out (the wire schema leaves them open).
 */
export type RunResult = Omit<RunResponse, 'metrics'> & { metrics: Record<string, number | Sample[]> };

/** One agent's answer for one target in a measurement; a failing agent is a row, never a missing one. */
export interface Row {
  agent: string;
  labels: Record<string, string>;
  target: string;
  status: RowStatus;
  reason?: string;
  duration_seconds: number | null;
  result: RunResult | null;
}

export type Summary = Record<RowStatus, number>;

export interface Measurement {
  id: string;
  type: string;
  target: string;
  options: Record<string, unknown>;
  agents: Record<string, string>;
  status: 'running' | 'done';
  created_at: string;
  finished_at: string | null;
  timeout: number;
  summary: Summary;
  rows: Row[];
}

/** The last line of an NDJSON answer (and the data of the SSE `done` event). */
export interface StreamDone {
  done: true;
  id: string;
  summary: Summary;
}

/**
 * An agent as GET /agents/ shows it: what it announced, when it was last heard from, and its
 * state now. `connection.mode` says how it is reached; a dial-out agent is active exactly while
 * its tunnel is up. The hub always sets `connection`; views without one (older hubs) mean direct.
 */
export interface AgentView {
  /** The CN of the agent's client certificate. */
  name: string;
  labels: Record<string, string>;
  url: string;
  version: string;
  protocol: number;
  probers: string[];
  ip_versions: number[];
  last_seen: string;
  /** Why the hub refused the agent's last announcement (e.g. protocol mismatch), or null. */
  refused: string | null;
  /** What the agent reported about itself (absent from older agents). */
  resolvers?: string[];
  addresses?: string[];
  /** The address the hub saw the agent connect from, and that address's network. */
  public_address?: string;
  asn?: string;
  as_name?: string;
  active: boolean;
  connection?: ConnectionView;
}
export type Agent = AgentView;

/**
 * One agent's row in one past measurement (without the agent's full result): the same test over
 * time, per agent. `figure_seconds` and `loss_ratio` are the test's headline figure
 * (client/trend.ts); rows stored by a hub before they existed (in Redis) lack them.
 */
export type HistoryRow = { measurement: string; type: string; created_at: string } & Omit<Row, 'result'> & Partial<TrendFigure>;

export interface HistoryPage {
  rows: HistoryRow[];
  /** Pass as `cursor` for the next (older) page; null when this is the last. */
  next: string | null;
}

/** GET /api/v1/measurements's parameters, as strings (times as RFC 3339 or a duration ago). */
export interface HistoryParams {
  type?: string;
  target?: string;
  agent?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export function historyPath(p: HistoryParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(p)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return `/api/v1/measurements${s ? `?${s}` : ''}`;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export function isApiErrorBody(v: unknown): v is ApiErrorBody {
  if (typeof v !== 'object' || v === null) return false;
  const e = (v as { error?: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string';
}

export function isStreamDone(v: unknown): v is StreamDone {
  return typeof v === 'object' && v !== null && (v as { done?: unknown }).done === true;
}

export function emptySummary(): Summary {
  return { ok: 0, failed: 0, timeout: 0, offline: 0 };
}
