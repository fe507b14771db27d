/**
 * Finds one sample's value in Prometheus text exposition, e.g.
 * `sampleValue(text, 'probe_http_duration_seconds', {phase: 'processing'})`.
 * Label order in the text does not matter; extra labels on the sample do not match.
 */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels);
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    if (at > 0 && text[at - 1] !== '\n') continue;
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? undefined : end);
    const rest = line.slice(name.length);
    let labelText = '';
    let valueText: string;
    if (rest.startsWith('{')) {
      const close = rest.lastIndexOf('}');
      if (close < 0) continue;
      labelText = rest.slice(1, close);
      valueText = rest.slice(close + 1);
    } else if (rest.startsWith(' ')) {
      valueText = rest;
    } else continue;
    const have = parseLabels(labelText);
    if (have.size !== want.length || !want.every(([k, v]) => have.get(k) === v)) continue;
    const value = valueText.trim().split(/\s+/)[0];
    if (value === undefined) continue;
    return value === '+Inf' ? Number.POSITIVE_INFINITY : value === '-Inf' ? Number.NEGATIVE_INFINITY : Number(value);
  }
}

function parseLabels(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.set(m[1]!, m[2]!.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c)));
  }
  return out;
}
