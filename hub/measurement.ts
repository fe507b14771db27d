import type { Measurement, Row, RowStatus, Summary } from '../client/api.js';

// The users' API types are declared once, in client/api.ts; the hub's modules import them from here.
export type { Measurement, Row, RowStatus, Summary };
export { emptySummary } from '../client/api.js';
export { sortRows } from '../client/rows.js';
export const ROW_STATUSES: readonly RowStatus[] = ['ok', 'failed', 'timeout', 'offline'];

