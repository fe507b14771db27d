import type { MetricSet } from '../lib/probe/metrics.js';

/** Metrics as JSON for /api/v1/run: a number for an unlabelled series, a list of samples otherwise. */
export function metricsAsJson(set: MetricSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const fam of set.list()) {
    const only = fam.samples[0];
    if (fam.samples.length === 1 && only && Object.keys(only.labels).length === 0) out[fam.name] = only.value;
    else out[fam.name] = fam.samples.map((s) => ({ labels: s.labels, value: s.value }));
  }
  return out;
}
