/**
 * The hub's user API as its clients (the `pulse` command and the web page) see it. Plain types,
 * no schema library: the web page bundles this file, and the hub owns validation.
 */

export type TestType = 'dns' | 'http' | 'tcp' | 'icmp' | 'mtr';
export type RowStatus = 'ok' | 'failed' | 'timeout' | 'offline';
export type Selector = Record<string, string>;

export interface MeasurementRequest {
  type: TestType;
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

/** The exporter's /api/v1/run answer, relayed by the hub in each row. */
export interface RunResult {
  protocol: number;
  type: string;
  target: string;
  success: boolean;
  reason?: string;
  duration_seconds: number;
  timeout_seconds: number;
  metrics: Record<string, number | Sample[]>;
  details: Record<string, unknown>;
  logs: unknown[];
}

export interface Row {
  agent: string;
  labels: Record<string, string>;
  target: string;
  status: RowStatus;
  reason?: string;
  duration_seconds: number | null;
  result: RunResult | null;
}

export interface Summary {
  ok: number;
  failed: number;
  timeout: number;
  offline: number;
}

export interface Measurement {
  id: string;
  type: string;
  target: string;
  options: Record<string, unknown>;
  agents: Selector;
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

export interface Agent {
  name: string;
  labels: Record<string, string>;
  url: string;
  version: string;
  protocol: number;
  probers: string[];
  ip_versions: number[];
  active: boolean;
  last_seen: string;
  refused: string | null;
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
