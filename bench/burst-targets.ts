import type { BenchRun, TargetCheck } from './results.js';

/** Issue 17's targets: connect times within 1 ms of the kernel's; no stall the exporter made itself. */
export const BURST_LIMITS = { medianErrorMs: 1 } as const;

export function burstTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const b = run.burst;
  const accuracy = `median |Pulse − kernel| connect time ≤ ${BURST_LIMITS.medianErrorMs} ms`;
  const stalls = '0 stalled handshakes against a target that does not stall';
  if (!b) {
    const why = run.skipped.burst ?? 'burst benchmark not run';
    return [
      { id: '6:burst-accuracy', description: accuracy, pass: null, detail: why },
      { id: '6:burst-no-self-stall', description: stalls, pass: null, detail: why },
    ];
  }
  return [
    {
      id: '6:burst-accuracy',
      description: accuracy,
      pass: b.error.matched > 0 && b.error.medianAbsMs <= BURST_LIMITS.medianErrorMs,
      detail: `${b.error.medianAbsMs.toFixed(3)} ms over ${b.error.matched} of ${b.connections} connections (p99 ${b.error.p99AbsMs.toFixed(3)} ms)`,
    },
    {
      id: '6:burst-no-self-stall',
      description: stalls,
      pass: b.stalled === 0 && b.failures === 0,
      detail: `${b.stalled} stalled, ${b.failures} failed; event-loop delay max ${b.eventLoopDelayMaxMs.toFixed(1)} ms`,
    },
  ];
}
