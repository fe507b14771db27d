import type { AttemptRecord } from './attempt.js';
import { type BurstSummary, FAILURE_KINDS, type FailureKind, type Quantiles } from '../../../lib/probers/details/burst.js';

export const QUANTILES = [0.5, 0.9, 0.99, 1] as const;

/** Upper bounds (seconds) of the connect-time histogram the page draws; the last is +Inf. */
export const HISTOGRAM_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Number.POSITIVE_INFINITY] as const;

export type { BurstSummary, Quantiles };

/** Nearest-rank quantiles (each one a time an attempt really took), or undefined without values. */
export function quantiles(values: readonly number[]): Quantiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

/**
 * The burst in figures. A handshake that never completed because it timed out counts as stalled
 * too: it is the extreme of the same symptom (SYNs unanswered).
 */
export function summarize(records: readonly AttemptRecord[], stallThreshold: number): BurstSummary {
  const failures = Object.fromEntries(FAILURE_KINDS.map((k) => [k, 0])) as Record<FailureKind, number>;
  const connects: number[] = [];
  const tls: number[] = [];
  const firstByte: number[] = [];
  let stalled = 0;
  let succeeded = 0;
  for (const r of records) {
    if (r.outcome === 'ok') succeeded++;
    else failures[r.outcome]++;
    if (r.connect !== undefined) {
      connects.push(r.connect);
      if (r.connect > stallThreshold) stalled++;
    } else if (r.outcome === 'timeout') stalled++;
    if (r.tls !== undefined) tls.push(r.tls);
    if (r.first_byte !== undefined) firstByte.push(r.first_byte);
  }
  const out: BurstSummary = { attempts: records.length, succeeded, failures, stalled, histogram: histogram(connects) };
  const c = quantiles(connects);
  if (c) out.connect = c;
  const t = quantiles(tls);
  if (t) out.tls = t;
  const f = quantiles(firstByte);
  if (f) out.first_byte = f;
  return out;
}

export function histogram(values: readonly number[]): { le: string; count: number }[] {
  const counts = HISTOGRAM_BOUNDS.map(() => 0);
  for (const v of values) {
    const i = HISTOGRAM_BOUNDS.findIndex((b) => v <= b);
    counts[i]!++;
  }
  return HISTOGRAM_BOUNDS.map((b, i) => ({ le: b === Number.POSITIVE_INFINITY ? '+Inf' : String(b), count: counts[i]! }));
}
