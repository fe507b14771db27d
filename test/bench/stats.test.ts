import { describe, expect, it } from 'vitest';
import { percentileSorted, ratio, round, summarize } from '../../bench/stats.js';

describe('percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks the sample at rank ceil(p/100 × n)', () => {
    expect(percentileSorted(hundred, 50)).toBe(50);
    expect(percentileSorted(hundred, 99)).toBe(99);
    expect(percentileSorted(hundred, 99.5)).toBe(100);
    expect(percentileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('clamps at the ends and answers NaN for no samples', () => {
    expect(percentileSorted(hundred, 0)).toBe(1);
    expect(percentileSorted(hundred, 100)).toBe(100);
    expect(percentileSorted([7], 99)).toBe(7);
    expect(percentileSorted([], 50)).toBeNaN();
  });

  it('summarizes unsorted samples numerically, not as strings', () => {
    const s = summarize([10, 9, 100, 2, 1]);
    expect(s).toMatchObject({ count: 5, min: 1, p50: 9, p99: 100, max: 100, mean: 24.4 });
  });

  it('keeps negative errors (an exporter may report less than the real delay)', () => {
    const s = summarize([-0.5, 0.25, -1.25, 2]);
    expect(s.min).toBe(-1.25);
    expect(s.p50).toBe(-0.5);
    expect(s.max).toBe(2);
  });

  it('summarizes nothing as NaNs with a zero count', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.mean).toBeNaN();
  });
});

describe('ratio and rounding', () => {
  it('divides, and refuses to divide by zero or by nothing', () => {
    expect(ratio(1500, 1000)).toBe(1.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 3)).toBeNaN();
  });

  it('rounds to the given digits and leaves non-finite values alone', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.25, 1)).toBe(1.3);
    expect(round(Number.NaN)).toBeNaN();
  });
});
