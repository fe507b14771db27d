import { agentNetwork, hasNetwork } from './network.js';
import type { Agent, Row, Summary } from '../core/api.js';
import { columnsFor, note } from '../core/figures.js';
import type { Align, Table } from './table.js';

export interface ResultsTableOptions {
  /** Add a column for the row's target (dns with several resolvers). */
  showTarget?: boolean;
  targetTitle?: string;
}

/** Agents in name order, and per agent the targets in order, so output is stable run to run. */
export function sortRows(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => a.agent.localeCompare(b.agent) || a.target.localeCompare(b.target));
}

export function resultsTable(type: string, rows: readonly Row[], opts: ResultsTableOptions = {}): Table {
  const cols = columnsFor(type).filter((c) => !c.optional || rows.some((r) => c.value(r) !== ''));
  const headers = ['AGENT', ...(opts.showTarget ? [opts.targetTitle ?? 'TARGET'] : []), 'STATUS', ...cols.map((c) => c.title), 'NOTE'];
  const align: Align[] = ['left', ...(opts.showTarget ? (['left'] as const) : []), 'left', ...cols.map((c) => c.align), 'left'];
  const body = sortRows(rows).map((r) => [r.agent, ...(opts.showTarget ? [r.target] : []), r.status, ...cols.map((c) => c.value(r)), note(r)]);
  return { headers, rows: body, align };
}

export function summaryLine(s: Summary): string {
  return `${s.ok} ok, ${s.failed} failed, ${s.timeout} timed out, ${s.offline} offline`;
}

/** "4s ago", "3m ago", "2h ago", "5d ago" relative to now. */
export function ago(iso: string, now: Date): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function agentState(a: Agent): string {
  if (a.refused) return 'refused';
  return a.active ? 'online' : 'offline';
}

export function agentsTable(agents: readonly Agent[], now: Date): Table {
  const headers = ['NAME', 'STATE', 'LABELS', 'VERSION', 'LAST SEEN', 'PROBERS', 'NOTE'];
  const rows = [...agents]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => [
      a.name,
      agentState(a),
      Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      a.version,
      ago(a.last_seen, now),
      a.probers.join(','),
      a.refused ?? '',
    ]);
  if (hasNetwork(agents)) {
    headers.push('NETWORK');
    const byName = new Map(agents.map((a) => [a.name, agentNetwork(a)]));
    for (const r of rows) r.push(byName.get(r[0]!) ?? '');
  }
  return { headers, rows, align: headers.map(() => 'left') };
}
