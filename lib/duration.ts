/** Prometheus-style durations ("1m30s", "500ms", "2h"), as blackbox.yml and prometheus.yml write them. */
const UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

export const DURATION_PATTERN = '^(([0-9]+(\\.[0-9]+)?)(ms|s|m|h|d|w|y))+$';
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d|w|y)/g;
const WHOLE = new RegExp(DURATION_PATTERN);

/** Seconds in a duration string; throws on anything Prometheus would refuse. */
export function parseDuration(text: string): number {
  if (!WHOLE.test(text)) {
    throw new Error(`invalid duration "${text}" (expected e.g. 5s, 500ms, 1m30s)`);
  }
  let seconds = 0;
  for (const m of text.matchAll(PART)) {
    seconds += Number(m[1]) * (UNITS[m[2]!] ?? 0);
  }
  return seconds;
}

export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  return `${Number(seconds.toFixed(3))}s`;
}
