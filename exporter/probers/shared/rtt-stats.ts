/** Round-trip statistics over a series of replies, in seconds, in the order they arrived. */
export interface RttStats {
  count: number;
  last: number;
  min: number;
  avg: number;
  max: number;
  /** Population standard deviation: what ping prints as `mdev`. */
  stddev: number;
  /** Sample standard deviation (n − 1): what mtr prints as `StDev`. */
  stddevSample: number;
  /** Mean absolute difference between consecutive RTTs (mtr's `Javg`); 0 with one reply. */
  jitter: number;
  /** Largest absolute difference between consecutive RTTs (mtr's `Jmax`). */
  jitterMax: number;
}

export function rttStats(rtts: readonly number[]): RttStats | undefined {
  const n = rtts.length;
  if (n === 0) return undefined;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of rtts) {
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  const avg = sum / n;
  let ss = 0;
  for (const r of rtts) ss += (r - avg) ** 2;
  let jsum = 0;
  let jmax = 0;
  for (let i = 1; i < n; i++) {
    const d = Math.abs(rtts[i]! - rtts[i - 1]!);
    jsum += d;
    if (d > jmax) jmax = d;
  }
  return {
    count: n,
    last: rtts[n - 1]!,
    min,
    avg,
    max,
    stddev: Math.sqrt(ss / n),
    stddevSample: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    jitter: n > 1 ? jsum / (n - 1) : 0,
    jitterMax: jmax,
  };
}

/** Rounds seconds to nanoseconds so float noise (0.1 + 0.2) does not leak into the output. */
export function roundSeconds(s: number): number {
  return Math.round(s * 1e9) / 1e9;
}

export function lossRatio(sent: number, received: number): number {
  if (sent <= 0) return 1;
  return Math.min(1, Math.max(0, (sent - received) / sent));
}
