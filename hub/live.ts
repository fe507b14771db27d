import { emptySummary, type Measurement, type Row, sortRows } from './measurement.js';

export type LiveEvent = { kind: 'row'; row: Row } | { kind: 'done'; measurement: Measurement };

/** A measurement in progress: rows arrive one by one; subscribers get past rows first, then new ones. */
export class LiveMeasurement {
  readonly data: Measurement;
  readonly done: Promise<Measurement>;
  private readonly listeners = new Set<(ev: LiveEvent) => void>();
  private resolveDone!: (m: Measurement) => void;
  private finished = false;

  constructor(
    init: Omit<Measurement, 'status' | 'finished_at' | 'summary' | 'rows'>,
    private readonly targetOrder: string[] = [],
  ) {
    this.data = { ...init, status: 'running', finished_at: null, summary: emptySummary(), rows: [] };
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  addRow(row: Row): void {
    if (this.data.status === 'done') return;
    this.data.rows.push(row);
    this.data.summary[row.status]++;
    for (const l of this.listeners) l({ kind: 'row', row });
  }

  /** Takes no more rows and puts the final form in `data`, without telling anyone yet (see finish). */
  seal(): Measurement {
    if (this.data.status === 'done') return this.data;
    this.data.status = 'done';
    this.data.finished_at = new Date().toISOString();
    this.data.rows = sortRows(this.data.rows, this.targetOrder);
    return this.data;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.seal();
    for (const l of this.listeners) l({ kind: 'done', measurement: this.data });
    this.listeners.clear();
    this.resolveDone(this.data);
  }

  /** Replays what is there, then follows; returns the unsubscribe function. */
  subscribe(listener: (ev: LiveEvent) => void): () => void {
    for (const row of this.data.rows) listener({ kind: 'row', row });
    if (this.finished) {
      listener({ kind: 'done', measurement: this.data });
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
