import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childPids, parseProcStatus, parseSmapsRollup, readMemory, readMemoryOf, sampleMemory } from '../../bench/memory.js';

const fixture = join(import.meta.dirname, '../fixtures/bench/proc-status.txt');

describe('resident memory from /proc', () => {
  it('parses VmRSS, VmHWM and the anonymous/file split in bytes', async () => {
    const m = parseProcStatus(await readFile(fixture, 'utf8'));
    expect(m).toEqual({ rss: 91660 * 1024, hwm: 95644 * 1024, anon: 48968 * 1024, file: 42692 * 1024, pss: 0 });
  });

  it('reads the proportional set size from smaps_rollup', () => {
    const rollup = '55d0c5a3e000-7ffd2fa08000 ---p 00000000 00:00 0  [rollup]\nRss:               91660 kB\nPss:               60123 kB\nPss_Anon:          48000 kB\n';
    expect(parseSmapsRollup(rollup)).toBe(60123 * 1024);
    expect(parseSmapsRollup('')).toBe(0);
  });

  it('refuses a status text without VmRSS rather than reporting 0 MB', () => {
    expect(() => parseProcStatus('Name:\tkthreadd\nVmHWM:\t1 kB\n')).toThrow(/VmRSS/);
  });

  it('reads this very process, whose heap is resident', async () => {
    const m = await readMemory(process.pid);
    expect(m.rss).toBeGreaterThan(1024 * 1024);
    expect(m.hwm).toBeGreaterThanOrEqual(m.rss);
    expect(m.pss).toBeGreaterThan(0);
    expect(m.pss).toBeLessThanOrEqual(m.rss);
  });

  it('sums several processes and samples a peak no lower than any reading', async () => {
    const one = await readMemory(process.pid);
    const twice = await readMemoryOf([process.pid, process.pid]);
    // Two readings of the same process taken a moment apart differ by far less than half.
    expect(twice.rss).toBeGreaterThan(one.rss * 1.5);
    const sampler = sampleMemory(async () => [process.pid], 10);
    const peak = await sampler.stop();
    expect(peak.rss).toBeGreaterThan(0);
    expect(peak.hwm).toBeGreaterThanOrEqual(peak.rss);
  });

  it('lists the children of a process (exporter workers), and none for a missing process', async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      expect(await childPids(process.pid)).toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await childPids(2 ** 22 + 1)).toEqual([]);
  });
});
