import { stringify } from 'yaml';
import type { Module } from '../lib/config/module.js';
import { renderExposition } from '../lib/probe/exposition.js';
import { formatLogLine } from '../lib/probe/logger.js';
import type { ProbeOutcome } from './probe.js';

const SECRET_KEYS = new Set([
  'password',
  'bearer_token',
  'client_secret',
  'password_file',
  'bearer_token_file',
  'credentials',
  'credentials_file',
]);
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie)$/i;

/** The module with secrets replaced, for `debug=true` output. */
/** A URL with its user:password part hidden, for logs. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1<secret>@');
}

export function redactModule(mod: Module): unknown {
  const walk = (v: unknown, key?: string): unknown => {
    if (key && SECRET_KEYS.has(key) && v !== undefined) return '<secret>';
    if (key === 'headers' && v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([h, x]) => [h, SECRET_HEADERS.test(h) ? '<secret>' : x]));
    }
    if (typeof v === 'string' && key === 'proxy_url') return redactUrl(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(mod);
}

/** blackbox_exporter's debug page: the probe's logs, its metrics, and the module it ran with. */
export function renderDebug(outcome: ProbeOutcome, mod: Module): string {
  return [
    'Logs for the probe:',
    ...outcome.logs.map(formatLogLine),
    '',
    '',
    'Metrics that would have been returned:',
    renderExposition(sortedFamilies(outcome)),
    '',
    'Module configuration:',
    stringify(redactModule(mod)),
  ].join('\n');
}

/** Alphabetical, as Go's Prometheus client gathers them, so output diffs cleanly against blackbox's. */
export function sortedFamilies(outcome: ProbeOutcome) {
  return outcome.metrics.list().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
