import type { CounterStore } from './results.js';

/** Counters for one process: enough when one hub is the whole fleet's front door. */
export class MemoryCounters implements CounterStore {
  private readonly counters = new Map<string, { count: number; resetAt: number }>();
  private readonly slots = new Map<string, Map<string, number>>();
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

  async acquireSlot(key: string, member: string, max: number, untilMs: number): Promise<boolean> {
    const t = this.now();
    const held = this.slots.get(key) ?? new Map<string, number>();
    this.slots.set(key, held);
    for (const [m, until] of held) if (until <= t) held.delete(m);
    if (held.size >= max) return false;
    held.set(member, untilMs);
    return true;
  }

  async releaseSlot(key: string, member: string): Promise<void> {
    const held = this.slots.get(key);
    held?.delete(member);
    if (held?.size === 0) this.slots.delete(key);
  }

  /** Expired counters go at most once a second, so many keys do not make each count slow. */
  private sweep(t: number): void {
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    for (const [k, c] of this.counters) if (c.resetAt <= t) this.counters.delete(k);
  }
}
