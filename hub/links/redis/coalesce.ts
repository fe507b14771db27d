/**
 * Messages to the same channel within one turn of the event loop, sent as one: a fan-out starts
 * thousands of routed calls in the same turn and their answers come back in bursts, so one
 * publish per batch instead of one per call (each a Redis command, a delivery and a parse on the
 * other side) is what keeps routing cheap. Every item of a batch gets the batch's send result.
 */
export class Coalescer<T, R> {
  private readonly batches = new Map<string, { items: T[]; waiters: Array<(r: Promise<R>) => void> }>();

  constructor(
    private readonly send: (channel: string, items: T[]) => Promise<R>,
    /** Larger batches are cut: one message stays a few hundred kilobytes at most. */
    private readonly maxItems = 500,
  ) {}

  add(channel: string, item: T): Promise<R> {
    let batch = this.batches.get(channel);
    if (!batch) {
      batch = { items: [], waiters: [] };
      this.batches.set(channel, batch);
      if (this.batches.size === 1) setImmediate(() => this.flush());
    }
    batch.items.push(item);
    const result = new Promise<R>((resolve, reject) => batch.waiters.push((sent) => sent.then(resolve, reject)));
    if (batch.items.length >= this.maxItems) this.sendBatch(channel);
    return result;
  }

  private flush(): void {
    for (const channel of [...this.batches.keys()]) this.sendBatch(channel);
  }

  private sendBatch(channel: string): void {
    const batch = this.batches.get(channel);
    if (!batch) return;
    this.batches.delete(channel);
    const sent = this.send(channel, batch.items);
    for (const w of batch.waiters) w(sent);
  }
}
