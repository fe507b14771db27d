import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedDeadlines } from '../../lib/shared-deadlines.js';

describe('SharedDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never aborts before the time asked for, and at most one step after it', () => {
    const d = new SharedDeadlines('relay timeout', 50);
    vi.setSystemTime(1_000_010);
    const signal = d.after(1000);
    vi.advanceTimersByTime(999);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    // 1,001,010 rounded up to the next step is 1,001,050.
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(40);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('relay timeout');
    expect(d.size).toBe(0);
  });

  it('gives calls that end within the same step one signal, and later ones another', () => {
    const d = new SharedDeadlines('t', 50);
    vi.setSystemTime(1_000_001);
    const a = d.after(5000);
    vi.setSystemTime(1_000_049);
    const b = d.after(5000);
    vi.setSystemTime(1_000_051);
    const c = d.after(5000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(d.size).toBe(2);
    vi.advanceTimersByTime(5100);
    expect(a.aborted && c.aborted).toBe(true);
    expect(d.size).toBe(0);
  });
});
