import { agentNetwork, hasNetwork } from '../../client/network.js';
import type { Agent, Row, Summary } from '../../client/api.js';
import { columnsFor, note } from '../../client/figures.js';
import { agentStateWord, sortRows } from '../../client/rows.js';
import { ago } from '../../client/time.js';
import type { Align, Table } from './table.js';

export interface ResultsTableOptions {
  /** Add a column for the row's target (dns with several resolvers). */
  showTarget?: boolean;
  targetTitle?: string;
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

export function agentsTable(agents: readonly Agent[], now: Date): Table {
  const headers = ['NAME', 'STATE', 'LABELS', 'VERSION', 'LAST SEEN', 'PROBERS', 'NOTE'];
  const rows = [...agents]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => [
      a.name,
      agentStateWord(a),
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
