import { trendFigure } from '../../client/trend.js';
import { PulseError } from '../../lib/errors.js';
import type { Measurement } from '../measurement.js';
import type { HistoryPage, HistoryQuery, HistoryRow } from './results.js';

/** What the index keeps of a measurement: enough to answer history, not the agents' results. */
export interface IndexedMeasurement {
  id: string;
  at: number;
  type: string;
  created_at: string;
  rows: Array<Omit<HistoryRow, 'measurement' | 'type' | 'created_at'>>;
}

export function indexEntry(m: Measurement): IndexedMeasurement {
  return {
    id: m.id,
    at: Date.parse(m.created_at),
    type: m.type,
    created_at: m.created_at,
    rows: m.rows.map((r) => ({
      agent: r.agent,
      labels: r.labels,
      target: r.target,
      status: r.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      duration_seconds: r.duration_seconds,
      // The figure the history charts draw, read from the result here because the index does not keep it.
      ...trendFigure(m.type, r),
    })),
  };
}

type Position = [at: number, id: string, row: number];

/** Newest first: later created_at, then id, then row order, all descending. */
function before(a: Position, b: Position): boolean {
  if (a[0] !== b[0]) return a[0] < b[0];
  if (a[1] !== b[1]) return a[1] < b[1];
  return a[2] < b[2];
}

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

/** undefined when the cursor is not one this index made. */
export function decodeCursor(text: string): Position | undefined {
  try {
    const p = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(p) && p.length === 3 && Number.isFinite(p[0]) && typeof p[1] === 'string' && Number.isInteger(p[2])) return p as Position;
  } catch {
    // Falls through: a damaged cursor is refused like any other.
  }
  return undefined;
}

/**
 * Finished measurements in created_at order, for history queries. Kept sorted on insert (they
 * arrive almost in order, so an insert is nearly always an append), queried from the newest end.
 */
export class HistoryIndex {
  private readonly items: IndexedMeasurement[] = [];
  private readonly byId = new Map<string, IndexedMeasurement>();

  add(m: IndexedMeasurement): void {
    if (this.byId.has(m.id)) return;
    this.byId.set(m.id, m);
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.at > m.at) i--;
    this.items.splice(i, 0, m);
  }

  /** Drops everything created before `at`; returns the ids dropped. */
  dropBefore(at: number): string[] {
    let n = 0;
    while (n < this.items.length && this.items[n]!.at < at) n++;
    const gone = this.items.splice(0, n).map((m) => m.id);
    for (const id of gone) this.byId.delete(id);
    return gone;
  }

  get size(): number {
    return this.items.length;
  }

  /** Throws PULSE_BAD_REQUEST for a cursor this index did not make. */
  query(q: HistoryQuery): HistoryPage {
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !cursor) throw new PulseError('PULSE_BAD_REQUEST', 'cursor is not a "next" value this hub gave out');
    const rows: HistoryRow[] = [];
    // Entries created after `until` are skipped by a binary search, not a scan.
    const hi = q.until === undefined ? this.items.length : upperBound(this.items, q.until);
    for (let i = hi - 1; i >= 0; i--) {
      const m = this.items[i]!;
      if (q.since !== undefined && m.at < q.since) break;
      if ((cursor && m.at > cursor[0]) || (q.type !== undefined && m.type !== q.type)) continue;
      for (let r = m.rows.length - 1; r >= 0; r--) {
        const row = m.rows[r]!;
        if (cursor && !before([m.at, m.id, r], cursor)) continue;
        if ((q.agent !== undefined && row.agent !== q.agent) || (q.target !== undefined && row.target !== q.target)) continue;
        rows.push({ measurement: m.id, type: m.type, created_at: m.created_at, ...row });
        // One row past the page is not fetched: the cursor is the last row shown, and the next
        // page may turn out empty, which costs one more request, not a second scan here.
        if (rows.length === q.limit) return { rows, next: encodeCursor([m.at, m.id, r]) };
      }
    }
    return { rows, next: null };
  }
}

function upperBound(items: IndexedMeasurement[], at: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
