import type { Row } from '../../client/api.js';
import { groupRows } from '../../client/group.js';
import { formatRatio } from '../../client/metrics.js';
import { layoutTable, type Table } from './table.js';

/** Names listed per group before "+N more": a group of 40 agents should not fill the screen. */
const MAX_MEMBERS = 6;

function who(members: string[]): string {
  if (members.length <= MAX_MEMBERS) return members.join(', ');
  return `${members.slice(0, MAX_MEMBERS).join(', ')} +${members.length - MAX_MEMBERS} more`;
}

/** The rows grouped by outcome as a table: the majority first, the odd ones out marked. */
export function groupsTable(type: string, rows: readonly Row[]): Table {
  const groups = groupRows(type, rows);
  return {
    headers: ['MARK', 'N', 'SHARE', 'OUTCOME', 'AGENTS'],
    align: ['left', 'right', 'right', 'left', 'left'],
    rows: groups.map((g) => [g.majority ? 'majority' : g.outlier ? 'outlier' : '', String(g.count), formatRatio(g.share), g.label, who(g.members)]),
  };
}

/** The grouped table with a heading line, ready to print under the results; outliers in yellow. */
export function groupLines(type: string, rows: readonly Row[], colour: boolean): string[] {
  const t = groupsTable(type, rows);
  const n = t.rows.length;
  const head = `${n} outcome${n === 1 ? '' : 's'} across ${rows.length} row${rows.length === 1 ? '' : 's'}:`;
  return ['', head, ...layoutTable(t, (col, padded, raw) => (colour && col === 0 && raw === 'outlier' ? `\x1b[33m${padded}\x1b[0m` : padded))];
}
