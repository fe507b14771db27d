import { asnTargets } from './asn.js';
import type { BenchRun, ExporterName, FidelityPoint, TargetCheck, ThroughputPoint } from './results.js';
import { burstTargets } from './burst-targets.js';
import { ratio } from './stats.js';

/** The targets, as numbers. */
export const LIMITS = {
  throughputRatio: 1.0,
  idleMB: 60,
  peakMB: 120,
  startupMs: 300,
  fidelityMarginMs: 1,
  fanoutBeyondMs: 250,
  hubMB: 300,
  sdMs: 200,
  storeWriteMs: 50,
  storeQueryMs: 100,
} as const;

/** Evaluates every target against a run; a target whose benchmark did not run is null, not a pass. */
export function evaluateTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  return [...throughputTargets(run), ...memoryTargets(run), ...fidelityTargets(run), ...fanoutTargets(run), sdTarget(run), ...burstTargets(run), ...storeTargets(run), ...asnTargets(run)];
}

function pick<T extends { exporter: ExporterName }>(points: readonly T[], match: (p: T) => boolean, who: ExporterName): T | undefined {
  return points.find((p) => p.exporter === who && match(p));
}

function throughputTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const t = run.throughput;
  const out: TargetCheck[] = [];
  const modules = ['http_2xx', 'tcp_connect', 'http_body_regex'];
  const concurrencies = (run.settings.concurrency as number[] | undefined) ?? [8, 64];
  for (const module of modules) {
    for (const c of concurrencies) {
      const id = `1:${module}@${c}`;
      const description = `${module} at ${c} concurrent: Pulse probes/s ≥ ${LIMITS.throughputRatio} × blackbox`;
      if (!t) {
        out.push({ id, description, pass: null, detail: 'throughput benchmark not run' });
        continue;
      }
      if (t.errors[module]) {
        out.push({ id, description, pass: null, detail: t.errors[module]! });
        continue;
      }
      const match = (p: ThroughputPoint) => p.module === module && p.concurrency === c;
      const pulse = pick(t.points, match, 'pulse');
      const bb = pick(t.points, match, 'blackbox');
      if (!pulse || !bb) {
        out.push({ id, description, pass: null, detail: 'no measurement' });
        continue;
      }
      const r = ratio(pulse.probesPerSecond, bb.probesPerSecond);
      out.push({
        id,
        description,
        pass: Number.isFinite(r) && r >= LIMITS.throughputRatio,
        detail: `${pulse.probesPerSecond} vs ${bb.probesPerSecond} probes/s = ${Number.isFinite(r) ? r.toFixed(2) : 'n/a'}×`,
      });
    }
  }
  return out;
}

function memoryTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const m = run.throughput?.memory.pulse;
  const idle: TargetCheck = { id: '2:idle', description: `Pulse exporter idle RSS ≤ ${LIMITS.idleMB} MB`, pass: null, detail: 'throughput benchmark not run' };
  const peak: TargetCheck = { id: '2:peak', description: `Pulse exporter peak RSS during (1) ≤ ${LIMITS.peakMB} MB`, pass: null, detail: 'throughput benchmark not run' };
  if (m) {
    const bb = run.throughput?.memory.blackbox;
    // Several workers share the node binary's pages: their total is the PSS sum, not the RSS sum.
    const multi = m.processes > 1;
    const procs = multi ? ` PSS over ${m.processes} processes (RSS sum ${m.idleMB} idle, ${m.peakMB} peak)` : '';
    const idleMB = multi ? m.idlePssMB : m.idleMB;
    const peakMB = multi ? m.peakPssMB : m.peakMB;
    idle.pass = idleMB <= LIMITS.idleMB;
    idle.detail = `${idleMB} MB${procs} (${multi ? m.justStartedPssMB : m.justStartedMB} MB 2 s after start); blackbox ${bb?.idleMB ?? 'n/a'} MB`;
    if (run.throughput && run.throughput.points.length > 0) {
      peak.pass = peakMB <= LIMITS.peakMB;
      peak.detail = `${peakMB} MB${procs}; blackbox ${bb?.peakMB ?? 'n/a'} MB`;
    } else peak.detail = 'no load was run';
  }
  return [idle, peak, startupTarget(run)];
}

function startupTarget(run: Omit<BenchRun, 'targets'>): TargetCheck {
  const s = run.throughput?.startup;
  const check: TargetCheck = { id: '2:startup', description: `Pulse exporter start-up to the first answered /probe ≤ ${LIMITS.startupMs} ms`, pass: null, detail: 'not measured (BENCH_STARTUP_RUNS=0 or throughput not run)' };
  if (s?.pulse) {
    check.pass = s.pulse.medianMs <= LIMITS.startupMs;
    check.detail = `median ${s.pulse.medianMs} ms of ${s.pulse.runsMs.length} starts (${s.pulse.runsMs.join(', ')}; an empty node ${s.pulse.emptyNodeMs ?? 'n/a'} ms); blackbox ${s.blackbox?.medianMs ?? 'n/a'} ms`;
  }
  return check;
}

function fidelityTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const f = run.fidelity;
  const concurrencies = (run.settings.fidelityConcurrency as number[] | undefined) ?? [1, 50, 200];
  return concurrencies.map((c) => {
    const id = `3:fidelity@${c}`;
    const description = `timing error p99 at ${c} concurrent ≤ blackbox p99 + ${LIMITS.fidelityMarginMs} ms`;
    if (!f) return { id, description, pass: null, detail: 'fidelity benchmark not run' };
    const match = (p: FidelityPoint) => p.concurrency === c;
    const pulse = pick(f.points, match, 'pulse');
    const bb = pick(f.points, match, 'blackbox');
    if (!pulse || !bb || pulse.samples === 0 || bb.samples === 0) {
      return { id, description, pass: null, detail: Object.values(f.errors).join('; ') || 'no measurement' };
    }
    return {
      id,
      description,
      pass: pulse.errorMs.p99 <= bb.errorMs.p99 + LIMITS.fidelityMarginMs,
      detail: `Pulse p99 ${pulse.errorMs.p99.toFixed(3)} ms vs blackbox p99 ${bb.errorMs.p99.toFixed(3)} ms`,
    };
  });
}

function fanoutTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const f = run.fanout;
  const skipped = run.skipped.fanout ?? 'fan-out benchmark not run';
  const agents = f?.agents ?? (run.settings.agents as number | undefined) ?? 1000;
  return [
    {
      id: '4:fanout',
      description: `fan-out to ${agents} agents: ≤ ${LIMITS.fanoutBeyondMs} ms beyond the slowest agent`,
      pass: f ? f.beyondSlowestMs <= LIMITS.fanoutBeyondMs : null,
      detail: f ? `${f.beyondSlowestMs.toFixed(1)} ms beyond (worst of ${f.rounds.length} rounds)` : skipped,
    },
    {
      id: '4:hub-memory',
      description: `hub RSS during fan-out ≤ ${LIMITS.hubMB} MB`,
      pass: f ? f.hubPeakMB <= LIMITS.hubMB : null,
      detail: f ? `${f.hubPeakMB} MB peak (${f.hubIdleMB} MB before)` : skipped,
    },
  ];
}

function sdTarget(run: Omit<BenchRun, 'targets'>): TargetCheck {
  const s = run.sd;
  const agents = s?.agents ?? (run.settings.sdAgents as number | undefined) ?? 10_000;
  return {
    id: '5:sd',
    description: `/sd with ${agents} agents: ≤ ${LIMITS.sdMs} ms`,
    pass: s ? s.latencyMs.p99 <= LIMITS.sdMs : null,
    detail: s ? `p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms, ${(s.responseBytes / 1024).toFixed(0)} KiB, ${s.groups} target groups` : (run.skipped.sd ?? 'sd benchmark not run'),
  };
}

function storeTargets(run: Omit<BenchRun, 'targets'>): TargetCheck[] {
  const s = run.store;
  const missing = run.skipped.store ?? 'store benchmark not run';
  return [
    {
      id: '6:store-write',
      description: `writing a ${s?.agents ?? 1000}-agent measurement to the embedded store: ≤ ${LIMITS.storeWriteMs} ms`,
      pass: s ? s.writeMs.p99 <= LIMITS.storeWriteMs : null,
      detail: s ? `p50 ${s.writeMs.p50} ms, p99 ${s.writeMs.p99} ms over ${s.writes} writes (fdatasync included)` : missing,
    },
    {
      id: '6:store-history',
      description: `history query over ${s?.storedRows ?? 100_000} stored rows: ≤ ${LIMITS.storeQueryMs} ms`,
      pass: s ? s.queryMs.p99 <= LIMITS.storeQueryMs : null,
      detail: s ? `p50 ${s.queryMs.p50} ms, p99 ${s.queryMs.p99} ms over ${s.queries} queries by agent` : missing,
    },
  ];
}
