import type { MetricFamily, Sample } from './metrics.js';

/** Prometheus text exposition format 0.0.4. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderExposition(families: readonly MetricFamily[]): string {
  let out = '';
  for (const fam of families) {
    out += `# HELP ${fam.name} ${escapeHelp(fam.help)}\n# TYPE ${fam.name} ${fam.type}\n`;
    for (const s of fam.samples) out += renderSample(fam.name, s);
  }
  return out;
}

function renderSample(name: string, s: Sample): string {
  const keys = Object.keys(s.labels);
  const labels = keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabel(s.labels[k]!)}"`).join(',')}}`;
  return `${name}${labels} ${formatValue(s.value)}\n`;
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

// Most values need no escaping: test before building new strings on every scrape.
const LABEL_SPECIAL = /[\\\n"]/;
const HELP_SPECIAL = /[\\\n]/;

function escapeLabel(v: string): string {
  if (!LABEL_SPECIAL.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  if (!HELP_SPECIAL.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
