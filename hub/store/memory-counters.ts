import type { CounterStore } from './results.js';

/** Counters for one process: enough when one hub is the whole fleet's front door. */
export class MemoryCounters implements CounterStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async increment(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    const t = this.now();
    this.sweep(t);
    let c = this.counters.get(key);
    if (!c || c.resetAt <= t) {
      c = { count: 0, resetAt: t + windowMs };
      this.counters.set(key, c);
    }
    c.count++;
    return { ...c };
  }

  /** Expired counters go at most once a second, so many keys do not make each count slow. */
  private sweep(t: number): void {
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    for (const [k, c] of this.counters) if (c.resetAt <= t) this.counters.delete(k);
  }
}
