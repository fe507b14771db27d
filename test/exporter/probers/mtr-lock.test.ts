import { describe, expect, it } from 'vitest';
import { SharedExclusiveLock } from '../../../exporter/probers/mtr/lock.js';

const never = () => new AbortController().signal;

describe('shared/exclusive lock for mtr runs', () => {
  it('lets shared holders overlap and keeps an exclusive one alone, in arrival order', async () => {
    const lock = new SharedExclusiveLock();
    const events: string[] = [];
    const a = await lock.acquire('shared', never());
    const b = await lock.acquire('shared', never());
    events.push('a+b shared');
    const tcp = lock.acquire('exclusive', never()).then((release) => {
      events.push('exclusive');
      return release;
    });
    // A shared request after a waiting exclusive one waits behind it, so TCP traces are not starved.
    const late = lock.acquire('shared', never()).then((release) => {
      events.push('late shared');
      return release;
    });
    a();
    await Promise.resolve();
    expect(events).toEqual(['a+b shared']);
    b();
    const releaseTcp = await tcp;
    expect(events).toEqual(['a+b shared', 'exclusive']);
    releaseTcp();
    (await late)();
    expect(events).toEqual(['a+b shared', 'exclusive', 'late shared']);
  });

  it('gives up waiting when the probe is aborted, and lets the next waiter in', async () => {
    const lock = new SharedExclusiveLock();
    const held = await lock.acquire('exclusive', never());
    const ctl = new AbortController();
    const waiting = lock.acquire('shared', ctl.signal);
    const next = lock.acquire('shared', never());
    ctl.abort();
    await expect(waiting).rejects.toThrow('aborted');
    held();
    const release = await next;
    release();
    release(); // releasing twice is harmless
    (await lock.acquire('exclusive', never()))();
  });
});
