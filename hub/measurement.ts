import type { RunResponse } from '../lib/wire.js';

export type RowStatus = 'ok' | 'failed' | 'timeout' | 'offline';
export const ROW_STATUSES: readonly RowStatus[] = ['ok', 'failed', 'timeout', 'offline'];

export interface Row {
  agent: string;
  labels: Record<string, string>;
  target: string;
  status: RowStatus;
  reason?: string;
  duration_seconds: number | null;
  result: RunResponse | null;
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

export function emptySummary(): Summary {
  return { ok: 0, failed: 0, timeout: 0, offline: 0 };
}

/**
 * Rows in a stable order whatever order the agents answered in: by agent name, then targets in
 * the order the request listed them (resolvers of /dns/ as given).
 */
export function sortRows(rows: Row[], targetOrder: string[] = []): Row[] {
  const rank = (t: string) => {
    const i = targetOrder.indexOf(t);
    return i < 0 ? targetOrder.length : i;
  };
  return [...rows].sort((a, b) => (a.agent === b.agent ? rank(a.target) - rank(b.target) || cmp(a.target, b.target) : cmp(a.agent, b.agent)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
