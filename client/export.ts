import type { Row } from './api.js';
import { columnsFor, note } from './figures.js';
import { outcomeOf } from './group.js';

/** A measurement's rows as CSV and JSON files, as the page offers them for download. */

function csvCell(v: string): string {
  // Quote what would break a row, and a leading = + - @ that a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** agent, target, status, the table's figures, the outcome the groups use, and the note. */
export function rowsCsv(type: string, rows: readonly Row[]): string {
  const cols = columnsFor(type);
  const head = ['agent', 'target', 'status', ...cols.map((c) => c.title.toLowerCase()), 'outcome', 'note'];
  const body = [...rows]
    .sort((a, b) => a.agent.localeCompare(b.agent) || a.target.localeCompare(b.target))
    .map((r) => [r.agent, r.target, r.status, ...cols.map((c) => c.value(r)), outcomeOf(type, r).label, note(r)]);
  return `${[head, ...body].map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export interface Export {
  type: string;
  ids: string[];
  rows: readonly Row[];
}

/** The rows as the hub gave them, with the ids to fetch the measurements again. */
export function rowsJson(e: Export): string {
  return `${JSON.stringify({ type: e.type, ids: e.ids, rows: e.rows }, null, 2)}\n`;
}
