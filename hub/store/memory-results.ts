import type { Measurement } from '../measurement.js';
import type { Operation } from '../operations/operation.js';
import { MemoryCounters } from './memory-counters.js';
import { HistoryIndex, indexEntry } from './history-index.js';
import type { CounterStore, HistoryPage, HistoryQuery, ResultStore } from './results.js';

/** Results kept in memory for `retentionMs`: for tests and hubs built without a data directory. */
export class MemoryResultStore implements ResultStore, CounterStore {
  private readonly measurements = new Map<string, Measurement>();
  private readonly operations = new Map<string, Operation>();
  private readonly index = new HistoryIndex();
  private readonly counters: MemoryCounters;

  constructor(
    private readonly retentionMs = 7 * 86_400_000,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = new MemoryCounters(now);
  }

  async open(): Promise<void> {}

  async putMeasurement(m: Measurement): Promise<void> {
    this.expire();
    this.measurements.set(m.id, structuredClone(m));
    this.index.add(indexEntry(m));
  }

  async getMeasurement(id: string): Promise<Measurement | undefined> {
    this.expire();
    return this.measurements.get(id);
  }

  async putOperation(op: Operation): Promise<void> {
    this.operations.set(op.handle, structuredClone(op));
  }

  async getOperation(handle: string): Promise<Operation | undefined> {
    const op = this.operations.get(handle);
    if (op && Date.parse(op.created_at) < this.now() - this.retentionMs) this.operations.delete(handle);
    return this.operations.get(handle);
  }

  async history(q: HistoryQuery): Promise<HistoryPage> {
    this.expire();
    return this.index.query(q);
  }

  increment(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    return this.counters.increment(key, windowMs);
  }

  acquireSlot(key: string, member: string, max: number, untilMs: number): Promise<boolean> {
    return this.counters.acquireSlot(key, member, max, untilMs);
  }

  releaseSlot(key: string, member: string): Promise<void> {
    return this.counters.releaseSlot(key, member);
  }

  private expire(): void {
    for (const id of this.index.dropBefore(this.now() - this.retentionMs)) this.measurements.delete(id);
  }

  async close(): Promise<void> {}
}
