import type { Selector } from './api.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses `key=value` agent selectors (repeatable on the command line; comma- or space-separated
 * in the web page's field). Throws an Error whose message names the bad part.
 */
export function parseSelector(parts: readonly string[]): Selector {
  // A Map, not an object: "constructor" or "__proto__" are label names like any other.
  const out = new Map<string, string>();
  for (const raw of parts.flatMap((p) => p.split(/[,\s]+/))) {
    if (raw === '') continue;
    const idx = raw.indexOf('=');
    if (idx <= 0) throw new Error(`agent selector "${raw}" must be key=value`);
    const key = raw.slice(0, idx);
    const value = raw.slice(idx + 1);
    if (!LABEL_NAME.test(key)) throw new Error(`agent selector "${raw}": "${key}" is not a valid label name`);
    if (out.has(key) && out.get(key) !== value) throw new Error(`agent selector names "${key}" twice with different values`);
    out.set(key, value);
  }
  // Separators alone (",,,") are a mistake, not "every agent": only an empty selector is.
  if (out.size === 0 && parts.some((p) => p.trim() !== '')) throw new Error(`agent selector "${parts.join(' ').slice(0, 60)}" has no key=value`);
  return Object.fromEntries(out);
}
