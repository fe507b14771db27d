import { onAbort } from '../lib/abort-listeners.js';

/** At most `limit` tasks at once; the rest wait in order. A waiter whose signal aborts leaves the line. */
export class ConcurrencyQueue {
  private active = 0;
  /**
   * Waiters in order from `head`. An aborted waiter is only marked: removing it from the middle
   * cost O(n) each, and a deadline aborts every waiter at once (64,000 of them blocked the loop).
   */
  private waiting: Waiter[] = [];
  private head = 0;

  constructor(private readonly limit: number) {}

  get inFlight(): number {
    return this.active;
  }

  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        cancelled: false,
        grant: () => {
          unsubscribe();
          this.active++;
          resolve();
        },
      };
      const unsubscribe = onAbort(signal, () => {
        waiter.cancelled = true;
        reject(signal.reason);
      });
      this.waiting.push(waiter);
    });
  }

  /** Waiters still in line (cancelled ones not counted). */
  get queued(): number {
    let n = 0;
    for (let i = this.head; i < this.waiting.length; i++) if (!this.waiting[i]!.cancelled) n++;
    return n;
  }

  private release(): void {
    this.active--;
    while (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]!;
      if (next.cancelled) continue;
      next.grant();
      break;
    }
    // Drop the consumed prefix once it is most of the array: amortised O(1) per waiter.
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }
}

interface Waiter {
  cancelled: boolean;
  grant: () => void;
}
