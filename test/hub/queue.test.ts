import { describe, expect, test } from 'vitest';
import { ConcurrencyQueue } from '../../hub/queue.js';

function held() {
  const releases: Array<() => void> = [];
  const task = () => new Promise<void>((resolve) => releases.push(resolve));
  return { releases, task };
}

describe('ConcurrencyQueue at a deadline', () => {
  test('every waiter aborted at once is rejected, and the slots stay right', async () => {
    const q = new ConcurrencyQueue(2);
    const { releases, task } = held();
    const forever = new AbortController();
    const running = [q.run(forever.signal, task), q.run(forever.signal, task)];
    const deadline = new AbortController();
    const waiters = Array.from({ length: 20_000 }, () => q.run(deadline.signal, task));
    expect(q.queued).toBe(20_000);
    deadline.abort(new Error('deadline'));
    const settled = await Promise.allSettled(waiters);
    expect(settled.every((s) => s.status === 'rejected' && (s.reason as Error).message === 'deadline')).toBe(true);
    expect(q.queued).toBe(0);
    expect(q.inFlight).toBe(2);
    for (const r of releases.splice(0)) r();
    await Promise.all(running);
    expect(q.inFlight).toBe(0);
    // The line is empty: the next call runs at once.
    const next = q.run(forever.signal, task);
    expect(q.inFlight).toBe(1);
    await new Promise((r) => setImmediate(r));
    releases.shift()!();
    await next;
    expect(q.inFlight).toBe(0);
  });

  test('waiters that stay keep their order among thousands that left', async () => {
    const q = new ConcurrencyQueue(1);
    const order: number[] = [];
    const gates: Array<() => void> = [];
    const task = (i: number) => () =>
      new Promise<void>((resolve) => {
        order.push(i);
        gates.push(resolve);
      });
    const forever = new AbortController();
    const first = q.run(forever.signal, task(-1));
    const leaving = new AbortController();
    const kept: Promise<void>[] = [];
    const left: Promise<void>[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 1000 === 0) kept.push(q.run(forever.signal, task(i)));
      else left.push(q.run(leaving.signal, task(i)));
    }
    leaving.abort(new Error('gone'));
    await Promise.allSettled(left);
    expect(q.queued).toBe(5);
    while (order.length < 6) {
      gates.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    gates.shift()!();
    await Promise.all([first, ...kept]);
    expect(order).toEqual([-1, 0, 1000, 2000, 3000, 4000]);
    expect(q.inFlight).toBe(0);
    expect(q.queued).toBe(0);
  });
});
