/**
 * The hub's user API as its clients (the `pulse` command and the web page) see it. Plain types,
 * no schema library: the web page bundles this file, and the hub owns validation. The shapes come
 * from the hub's own types; type-only imports are erased by esbuild, so nothing of the hub is bundled.
 */
import type { Measurement as HubMeasurement, Row as HubRow, RowStatus, Summary } from '../../hub/measurement.js';
import type { AgentView } from '../../hub/registry.js';
import type { HistoryPage, HistoryRow } from '../../hub/store/results.js';
import type { BuiltinProbers } from '../../lib/probers/builtin.js';
import type { RunResponse } from '../../lib/wire.js';

/** The built-in probers users may run ad hoc: those with a `test` entry in lib/probers/builtin.ts. */
export type TestType = { [K in keyof BuiltinProbers]: BuiltinProbers[K] extends { test: object } ? K : never }[keyof BuiltinProbers];
export type { RowStatus };
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

export type Row = Omit<HubRow, 'result'> & { result: RunResult | null };
export type { Summary };
export type Measurement = Omit<HubMeasurement, 'rows'> & { rows: Row[] };

/** The last line of an NDJSON answer (and the data of the SSE `done` event). */
export interface StreamDone {
  done: true;
  id: string;
  summary: Summary;
}

export type Agent = AgentView;
export type { HistoryPage, HistoryRow };

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
