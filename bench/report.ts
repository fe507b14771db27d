import { asnReportLines } from './asn.js';
import type { BenchRun } from './results.js';
import { ratio } from './stats.js';

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** The human summary printed at the end of `npm run bench` (the JSON file has everything). */
export function renderReport(run: BenchRun): string {
  const out: string[] = [];
  const m = run.machine;
  out.push(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryMB} MB RAM, Node ${m.node}, ${m.blackbox}; load average at start ${m.loadavg.join(' ')}`);
  const t = run.throughput;
  if (t) {
    out.push('', `(1) /probe throughput against ${t.target}`);
    out.push('module       conc  pulse/s  blackbox/s  ratio  pulse p50/p99 ms   blackbox p50/p99 ms');
    const keys = [...new Set(t.points.map((p) => `${p.module}\u0000${p.concurrency}`))];
    for (const key of keys) {
      const [module, c] = key.split('\u0000');
      const p = t.points.find((x) => x.module === module && String(x.concurrency) === c && x.exporter === 'pulse');
      const b = t.points.find((x) => x.module === module && String(x.concurrency) === c && x.exporter === 'blackbox');
      out.push(
        `${module!.padEnd(12)} ${c!.padStart(4)} ${fmt(p?.probesPerSecond ?? Number.NaN, 0).padStart(8)} ${fmt(b?.probesPerSecond ?? Number.NaN, 0).padStart(11)} ${fmt(ratio(p?.probesPerSecond ?? Number.NaN, b?.probesPerSecond ?? Number.NaN), 2).padStart(6)}  ${`${fmt(p?.p50Ms ?? Number.NaN, 2)}/${fmt(p?.p99Ms ?? Number.NaN, 2)}`.padStart(16)}  ${`${fmt(b?.p50Ms ?? Number.NaN, 2)}/${fmt(b?.p99Ms ?? Number.NaN, 2)}`.padStart(18)}`,
      );
    }
    for (const [module, why] of Object.entries(t.errors)) out.push(`${module}: not measured: ${why}`);
    if (t.startup) {
      out.push('', '(2) start-up to the first answered /probe (ms, median; every start)');
      for (const name of ['pulse', 'blackbox'] as const) {
        const st = t.startup[name];
        if (st) out.push(`${name.padEnd(22)} ${fmt(st.medianMs, 0).padStart(8)}  (${st.runsMs.join(', ')})${st.emptyNodeMs !== undefined ? `; node -e 0 alone: ${st.emptyNodeMs} ms` : ''}`);
      }
    }
    out.push('', '(2) memory (MB)         idle RSS  peak RSS   VmHWM  idle anon/file  PSS idle/peak');
    for (const name of ['pulse', 'blackbox'] as const) {
      const mem = t.memory[name];
      if (mem) out.push(`${name.padEnd(22)} ${fmt(mem.idleMB).padStart(8)} ${fmt(mem.peakMB).padStart(9)} ${fmt(mem.hwmMB).padStart(7)}  ${`${fmt(mem.idleAnonMB)}/${fmt(mem.idleFileMB)}`.padStart(14)}  ${fmt(mem.idlePssMB)}/${fmt(mem.peakPssMB)}${mem.processes > 1 ? `  (${mem.processes} processes)` : ''}`);
    }
  }
  const f = run.fidelity;
  if (f) {
    out.push('', `(3) timing fidelity: reported processing phase − ${f.delayMs} ms, in ms`);
    out.push('conc  exporter      n     p50      p99      max');
    for (const p of f.points) {
      out.push(`${String(p.concurrency).padStart(4)}  ${p.exporter.padEnd(8)} ${String(p.samples).padStart(6)} ${fmt(p.errorMs.p50, 3).padStart(7)} ${fmt(p.errorMs.p99, 3).padStart(8)} ${fmt(p.errorMs.max, 3).padStart(8)}`);
    }
    for (const [who, why] of Object.entries(f.errors)) out.push(`${who}: not measured: ${why}`);
  }
  const fo = run.fanout;
  if (fo) {
    out.push('', `(4) fan-out to ${fo.agents} agents answering after ${fo.agentDelayMs} ms (${fo.registration})`);
    for (const [i, r] of fo.rounds.entries()) {
      out.push(`round ${i + 1}: ${fmt(r.totalMs)} ms total, ${fmt(r.beyondSlowestMs)} ms beyond the slowest agent, ${fmt(r.afterLastAnswerMs)} ms after the last answer; ok ${r.ok}${Object.keys(r.other).length ? ` ${JSON.stringify(r.other)}` : ''}`);
    }
    out.push(`hub RSS ${fmt(fo.hubIdleMB)} MB before, ${fmt(fo.hubPeakMB)} MB peak`);
  }
  const sd = run.sd;
  if (sd) {
    out.push('', `(5) /sd with ${sd.agents} agents × ${sd.jobs} jobs (${sd.registration})`);
    out.push(`${sd.requests} requests: p50 ${fmt(sd.latencyMs.p50)} ms, p99 ${fmt(sd.latencyMs.p99)} ms, max ${fmt(sd.latencyMs.max)} ms; ${sd.groups} target groups, ${sd.responseBytes} bytes; hub RSS ${fmt(sd.hubMB)} MB`);
  }
  const st = run.store;
  if (st) {
    out.push('', `(6) embedded result store: ${st.agents}-row measurement written in p50 ${fmt(st.writeMs.p50)} ms, p99 ${fmt(st.writeMs.p99)} ms; history over ${st.storedRows} rows p50 ${fmt(st.queryMs.p50)} ms, p99 ${fmt(st.queryMs.p99)} ms`);
  }
  if (run.asn) out.push('', ...asnReportLines(run.asn));
  for (const [name, why] of Object.entries(run.skipped)) out.push('', `${name}: skipped: ${why}`);
  out.push('', 'Targets:');
  for (const c of run.targets) {
    const verdict = c.pass === null ? 'N/A ' : c.pass ? 'PASS' : 'FAIL';
    out.push(`  ${verdict}  ${c.description}: ${c.detail}`);
  }
  return out.join('\n');
}
