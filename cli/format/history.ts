import type { HistoryRow } from '../../client/api.js';
import type { Table } from './table.js';

/** `pulse history`'s table: one line per agent per past measurement, newest first. */
export function historyTable(rows: HistoryRow[]): Table {
  return {
    headers: ['TIME', 'AGENT', 'TYPE', 'TARGET', 'STATUS', 'SECONDS', 'REASON', 'MEASUREMENT'],
    align: ['left', 'left', 'left', 'left', 'left', 'right', 'left', 'left'],
    rows: rows.map((r) => [
      r.created_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      r.agent,
      r.type,
      r.target,
      r.status,
      r.duration_seconds === null ? '-' : r.duration_seconds.toFixed(3),
      r.reason ?? '',
      r.measurement,
    ]),
  };
}
