import type { Selector } from './api.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses `key=value` agent selectors (repeatable on the command line; comma- or space-separated
 * in the web page's field). Throws an Error whose message names the bad part.
 */
export function parseSelector(parts: readonly string[]): Selector {
  const out: Selector = {};
  for (const raw of parts.flatMap((p) => p.split(/[,\s]+/))) {
    if (raw === '') continue;
    const idx = raw.indexOf('=');
    if (idx <= 0) throw new Error(`agent selector "${raw}" must be key=value`);
    const key = raw.slice(0, idx);
    const value = raw.slice(idx + 1);
    if (!LABEL_NAME.test(key)) throw new Error(`agent selector "${raw}": "${key}" is not a valid label name`);
    if (key in out && out[key] !== value) throw new Error(`agent selector names "${key}" twice with different values`);
    out[key] = value;
  }
  return out;
}
