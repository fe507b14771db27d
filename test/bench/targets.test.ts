import { describe, expect, it } from 'vitest';
import type { BenchRun, FidelityPoint, ThroughputPoint } from '../../bench/results.js';
import { evaluateTargets } from '../../bench/targets.js';

const machine = { nproc: 2, cpu: 'test', memoryMB: 1, node: 'v20', kernel: 'x', blackbox: 'bb', loadavg: [0, 0, 0] };
const settings = { concurrency: [8, 64], fidelityConcurrency: [1, 50, 200], agents: 1000, sdAgents: 10_000 };

function tp(module: string, concurrency: number, exporter: 'pulse' | 'blackbox', probesPerSecond: number): ThroughputPoint {
  return { module, concurrency, exporter, probesPerSecond, ok: 1, failed: 0, failures: {}, p50Ms: 1, p99Ms: 2 };
}

function fp(concurrency: number, exporter: 'pulse' | 'blackbox', p99: number): FidelityPoint {
  return { concurrency, exporter, samples: 100, failed: 0, probesPerSecond: 1, errorMs: { min: 0, p50: 0.2, p99, max: p99 } };
}

function run(partial: Partial<BenchRun>): Omit<BenchRun, 'targets'> {
  return { startedAt: 'now', machine, settings, skipped: {}, ...partial };
}

const byId = (r: ReturnType<typeof evaluateTargets>) => Object.fromEntries(r.map((c) => [c.id, c.pass]));

describe('targets', () => {
  it('are all unevaluated (null), never passed, when nothing ran', () => {
    const checks = evaluateTargets(run({ skipped: { fanout: 'the hub is not built yet' } }));
    expect(checks).toHaveLength(21);
    expect(checks.every((c) => c.pass === null)).toBe(true);
    expect(checks.find((c) => c.id === '4:fanout')?.detail).toBe('the hub is not built yet');
  });

  it('compare throughput per module and concurrency, and memory against fixed limits', () => {
    const points = [
      tp('http_2xx', 8, 'pulse', 1000),
      tp('http_2xx', 8, 'blackbox', 1000),
      tp('http_2xx', 64, 'pulse', 999),
      tp('http_2xx', 64, 'blackbox', 1000),
      tp('tcp_connect', 8, 'pulse', 3000),
      tp('tcp_connect', 8, 'blackbox', 2000),
    ];
    const memory = {
      pulse: { idleMB: 60, justStartedMB: 61, justStartedPssMB: 61, afterLoadMB: 70, peakMB: 120.1, hwmMB: 151, idleAnonMB: 20, idleFileMB: 40, idlePssMB: 55, peakPssMB: 140, processes: 1 },
      blackbox: { idleMB: 13, justStartedMB: 61, justStartedPssMB: 61, afterLoadMB: 70, peakMB: 30, hwmMB: 30, idleAnonMB: 5, idleFileMB: 8, idlePssMB: 12, peakPssMB: 29, processes: 1 },
    };
    const checks = evaluateTargets(run({ throughput: { target: 'nginx', points, memory, errors: {} } }));
    const r = byId(checks);
    expect(r).toMatchObject({
      '1:http_2xx@8': true,
      '1:http_2xx@64': false,
      '1:tcp_connect@8': true,
      '1:tcp_connect@64': null,
      '2:idle': true,
      '2:peak': false,
      '2:startup': null,
    });
    // Judged on the idle reading; the reading 2 s after start is shown beside it.
    expect(checks.find((c) => c.id === '2:idle')?.detail).toBe('60 MB (61 MB 2 s after start); blackbox 13 MB');
  });

  it('hold start-up to the first answered /probe to 300 ms (the median of the starts)', () => {
    const memory = { pulse: { idleMB: 50, justStartedMB: 61, justStartedPssMB: 61, afterLoadMB: 70, peakMB: 100, hwmMB: 100, idleAnonMB: 15, idleFileMB: 35, idlePssMB: 50, peakPssMB: 100, processes: 1 } };
    const at = (medianMs: number) =>
      byId(evaluateTargets(run({ throughput: { target: 'nginx', points: [], memory, errors: {}, startup: { pulse: { medianMs, runsMs: [medianMs] }, blackbox: { medianMs: 20, runsMs: [20] } } } })));
    expect(at(300)['2:startup']).toBe(true);
    expect(at(301)['2:startup']).toBe(false);
  });

  it('judge a multi-process exporter by its PSS total, since workers share the binary’s pages', () => {
    const memory = { pulse: { idleMB: 250, justStartedMB: 61, justStartedPssMB: 61, afterLoadMB: 70, peakMB: 400, hwmMB: 400, idleAnonMB: 150, idleFileMB: 100, idlePssMB: 59, peakPssMB: 151, processes: 3 } };
    const r = evaluateTargets(run({ throughput: { target: 'nginx', points: [tp('http_2xx', 8, 'pulse', 1)], memory, errors: {} } }));
    expect(byId(r)).toMatchObject({ '2:idle': true, '2:peak': false });
    expect(r.find((c) => c.id === '2:idle')?.detail).toContain('PSS over 3 processes');
  });

  it('allow Pulse 1 ms of p99 timing error over blackbox, no more', () => {
    const points = [fp(1, 'pulse', 1.5), fp(1, 'blackbox', 0.5), fp(50, 'pulse', 1.6), fp(50, 'blackbox', 0.5), fp(200, 'pulse', 3), fp(200, 'blackbox', 9)];
    const r = byId(evaluateTargets(run({ fidelity: { delayMs: 50, points, errors: {} } })));
    expect(r).toMatchObject({ '3:fidelity@1': true, '3:fidelity@50': false, '3:fidelity@200': true });
  });

  it('hold the hub to 250 ms beyond the slowest agent, 300 MB, and /sd to 200 ms', () => {
    const round = { totalMs: 0, beyondSlowestMs: 0, afterLastAnswerMs: 0, ok: 1000, other: {} };
    const fanout = { agents: 1000, agentDelayMs: 200, rounds: [round], beyondSlowestMs: 251, hubIdleMB: 80, hubPeakMB: 299, registration: 'mTLS' };
    const sd = { agents: 10_000, jobs: 3, groups: 30_000, responseBytes: 1, latencyMs: { p50: 50, p99: 200, max: 300 }, requests: 10, hubMB: 1, registration: 'x' };
    const r = byId(evaluateTargets(run({ fanout, sd })));
    expect(r).toMatchObject({ '4:fanout': false, '4:hub-memory': true, '5:sd': true });
  });
});

describe('store targets', () => {
  it('pass or fail the write and history limits from the store benchmark', () => {
    const base = run({});
    const store = { agents: 1000, writes: 5, storedRows: 100_000, queries: 5, writeMs: { p50: 10, p99: 49, max: 60 }, queryMs: { p50: 5, p99: 101, max: 120 } };
    const checks = evaluateTargets({ ...base, store });
    expect(checks.find((c) => c.id === '6:store-write')?.pass).toBe(true);
    expect(checks.find((c) => c.id === '6:store-history')?.pass).toBe(false);
  });
});
