import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ScheduleOptions {
  count: number;
  concurrency: number;
  /** Attempts started per second; undefined: as fast as the concurrency allows. */
  rate?: number;
}

/**
 * Runs `count` attempts, at most `concurrency` at once and (with a rate) attempt i not before
 * i/rate seconds. On abort no new attempt starts; the ones running end through their own signal.
 * Returns the records of the attempts that started, in start order.
 */
export async function runSchedule<R>(o: ScheduleOptions, signal: AbortSignal, attempt: (n: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal.aborted || next >= o.count) return;
      const n = next++;
      if (o.rate !== undefined) {
        const due = started + (n * 1000) / o.rate - performance.now();
        if (due > 0) {
          try {
            await sleep(due, undefined, { signal, ref: false });
          } catch {
            return;
          }
        }
      }
      results[n] = await attempt(n);
      // Start the next attempt after the poll phase, not inside it: other sockets whose handshake
      // completed in the same loop turn are then timed before this worker's new connect runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, worker));
  return results.filter((r) => r !== undefined);
}

/** The sockets of a burst that are open right now, so an end or abort can close every one. */
export class SocketTracker {
  private readonly open = new Set<Socket>();

  readonly track = (s: Socket): (() => void) => {
    this.open.add(s);
    const forget = () => this.open.delete(s);
    s.once('close', forget);
    return forget;
  };

  get size(): number {
    return this.open.size;
  }

  destroyAll(): void {
    for (const s of this.open) s.destroy();
    this.open.clear();
  }
}
