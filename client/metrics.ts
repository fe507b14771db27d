import type { RunResult, Sample } from './api.js';

/** Reads a value from a run result's metrics: unlabelled, or the sample matching every given label. */
export function metric(result: RunResult | null, name: string, labels: Record<string, string> = {}): number | undefined {
  const m = result?.metrics[name];
  if (m === undefined) return undefined;
  if (typeof m === 'number') return Object.keys(labels).length === 0 ? m : undefined;
  // The wire leaves metric values open (lib/wire.ts): anything but a number or a list is no value.
  if (!Array.isArray(m)) return undefined;
  const hit = m.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return hit?.value;
}

export function samples(result: RunResult | null, name: string): Sample[] {
  const m = result?.metrics[name];
  if (m === undefined) return [];
  if (typeof m === 'number') return [{ labels: {}, value: m }];
  return Array.isArray(m) ? m : [];
}

/** 0.0004 → "0.40 ms", 0.0123 → "12.3 ms", 0.456 → "456 ms", 12.3 → "12.3 s". */
export function formatSeconds(s: number | undefined | null): string {
  if (s === undefined || s === null || !Number.isFinite(s)) return '';
  const ms = s * 1000;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${s.toFixed(1)} s`;
}

/** 0..1 → "0%", "33.3%", "100%". */
export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '';
  const pct = r * 100;
  if (pct === 0 || pct === 100) return `${pct}%`;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}
