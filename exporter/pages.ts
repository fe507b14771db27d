import { stringify } from 'yaml';
import type { Module } from '../lib/config/module.js';
import { redactSecrets } from '../lib/redact.js';
import type { ProbeHistory } from './probe-history.js';

/** An answer of the exporter's plain-text pages, independent of the HTTP server that sends it. */
export interface PageAnswer {
  status: number;
  contentType: string;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const answer = (status: number, body: string): PageAnswer => ({ status, contentType: TEXT, body });

/**
 * blackbox's /logs: `?id=N` (from the history), or `?target=T[&module=M]` (blackbox 0.25+), the
 * probe's debug output; the same refusals, in the same words.
 */
export function logsPage(history: ProbeHistory, query: Record<string, unknown>): PageAnswer {
  const one = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : Array.isArray(query[k]) ? String((query[k] as unknown[])[0]) : '');
  const idText = one('id');
  const id = /^-?\d+$/.test(idText) ? Number(idText) : undefined;
  const target = one('target');
  const module = one('module');
  if (id !== undefined && target !== '') return answer(400, "Probe id and target can't be defined at the same time\n");
  if (id === undefined && target === '') return answer(400, 'Probe id or target must be defined as http query parameters\n');
  if (target === '' && module !== '') return answer(400, 'Probe module filter only works in conjunction with target parameter\n');
  if (target !== '') {
    const e = history.byTarget(target, module);
    return e ? answer(200, e.debugOutput()) : answer(404, 'Probe target not found\n');
  }
  const e = history.byId(id!);
  return e ? answer(200, e.debugOutput()) : answer(404, 'Probe id not found\n');
}

/** blackbox's /config: the loaded modules as YAML, secrets replaced. */
export function configPage(modules: Record<string, Module>): PageAnswer {
  return answer(200, stringify({ modules: redactSecrets(modules) }));
}
