import { describe, expect, it } from 'vitest';
import { onAbort } from '../../lib/abort-listeners.js';

describe('onAbort', () => {
  it('calls every subscriber once when the signal aborts, not the unsubscribed ones', () => {
    const ac = new AbortController();
    const calls: string[] = [];
    onAbort(ac.signal, () => calls.push('a'));
    const offB = onAbort(ac.signal, () => calls.push('b'));
    onAbort(ac.signal, () => calls.push('c'));
    offB();
    ac.abort();
    ac.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('calls at once on a signal that has already aborted', () => {
    let called = 0;
    const off = onAbort(AbortSignal.abort(), () => called++);
    expect(called).toBe(1);
    off();
  });

  it('keeps one event listener per signal however many subscribe (the O(1) add and remove)', () => {
    const ac = new AbortController();
    let added = 0;
    const original = ac.signal.addEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++;
      original(...args);
    }) as AbortSignal['addEventListener'];
    let fired = 0;
    const offs = Array.from({ length: 1000 }, () => onAbort(ac.signal, () => fired++));
    for (const off of offs.slice(0, 500)) off();
    ac.abort();
    expect(added).toBe(1);
    expect(fired).toBe(500);
  });

  it('subscribes again on a new signal after the first one aborted', () => {
    const first = new AbortController();
    const second = new AbortController();
    const calls: number[] = [];
    onAbort(first.signal, () => calls.push(1));
    first.abort();
    onAbort(second.signal, () => calls.push(2));
    second.abort();
    expect(calls).toEqual([1, 2]);
  });
});
