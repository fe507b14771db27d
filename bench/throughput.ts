import { BENCH_MODULES, probePath } from './configs.js';
import { MB, readMemoryOf, sampleMemory } from './memory.js';
import { preflight } from './preflight.js';
import { runLoadInChild, type Service, sleep } from './proc.js';
import type { ExporterName, MemoryFigures, ThroughputPoint, ThroughputResult } from './results.js';
import { startBlackbox, startFastTarget, startPulseExporter } from './services.js';
import { benchStartup } from './startup.js';
import type { BenchSettings } from './settings.js';
import { round, summarize } from './stats.js';

/** Seconds both exporters sit idle after start-up before their idle memory is read. */
const IDLE_SETTLE_MS = 2_000;

/**
 * Benchmarks (1) and (2): /probe throughput for http_2xx and tcp_connect at each concurrency,
 * Pulse and blackbox_exporter against the same nginx, and the memory of both idle and at peak.
 */
export async function benchThroughput(dir: string, s: BenchSettings, log: (line: string) => void): Promise<ThroughputResult> {
  const started: Service[] = [];
  try {
    const target = await startFastTarget(dir);
    started.push(target);
    // Before the long-running exporters start, so each start has the machine to itself.
    const startup = s.startupRuns > 0 ? await benchStartup(dir, `127.0.0.1:${target.port}`, s.startupRuns) : undefined;
    if (startup) log(`  start-up to the first answered /probe (median of ${s.startupRuns}): pulse ${startup.pulse?.medianMs} ms, blackbox ${startup.blackbox?.medianMs} ms`);
    const exporters: Record<ExporterName, Service> = {
      pulse: await startPulseExporter(dir, { workers: s.pulseWorkers }),
      blackbox: await startBlackbox(dir),
    };
    started.push(exporters.pulse, exporters.blackbox);
    await sleep(IDLE_SETTLE_MS);
    const idle: Record<ExporterName, number> = { pulse: 0, blackbox: 0 };
    const idleSplit: Record<ExporterName, { anon: number; file: number; pss: number }> = {
      pulse: { anon: 0, file: 0, pss: 0 },
      blackbox: { anon: 0, file: 0, pss: 0 },
    };
    const processes: Record<ExporterName, number> = { pulse: 0, blackbox: 0 };
    for (const name of ['pulse', 'blackbox'] as const) {
      const pids = await exporters[name].pids();
      processes[name] = pids.length;
      const m = await readMemoryOf(pids);
      idle[name] = m.rss;
      idleSplit[name] = { anon: m.anon, file: m.file, pss: m.pss };
    }
    log(
      `  idle RSS: pulse ${(idle.pulse / MB).toFixed(1)} MB (anon ${(idleSplit.pulse.anon / MB).toFixed(1)}), blackbox ${(idle.blackbox / MB).toFixed(1)} MB (anon ${(idleSplit.blackbox.anon / MB).toFixed(1)})`,
    );

    const result: ThroughputResult = { target: `${target.name} ${target.url}`, points: [], memory: {}, errors: {} };
    if (startup) result.startup = startup;
    const peak: Record<ExporterName, number> = { ...idle };
    const hwm: Record<ExporterName, number> = { ...idle };
    const peakPss: Record<ExporterName, number> = { pulse: idleSplit.pulse.pss, blackbox: idleSplit.blackbox.pss };
    await warmUp(exporters, target, s.jitWarmupSeconds);
    let turn = 0;
    for (const [module, prober] of Object.entries(BENCH_MODULES)) {
      const targetAddr = prober === 'http' ? `${target.url}/` : `127.0.0.1:${target.port}`;
      const path = probePath(module, targetAddr);
      const broken: string[] = [];
      for (const name of ['pulse', 'blackbox'] as const) {
        const why = await preflight(exporters[name].url, path);
        if (why) broken.push(`${name}: ${why}`);
      }
      if (broken.length > 0) {
        result.errors[module] = broken.join('; ');
        log(`  ${module}: skipped, a probe fails before any load: ${result.errors[module]}`);
        continue;
      }
      for (const concurrency of s.concurrency) {
        // Alternate who goes first so neither always runs on the warmer (or busier) machine.
        const order: ExporterName[] = turn++ % 2 === 0 ? ['pulse', 'blackbox'] : ['blackbox', 'pulse'];
        for (const name of order) {
          const svc = exporters[name];
          const sampler = sampleMemory(() => svc.pids());
          const load = await runLoadInChild({
            origin: svc.url,
            path,
            concurrency,
            seconds: s.seconds,
            warmupSeconds: s.warmupSeconds,
            maxRequests: s.maxRequests,
            headers: { 'x-prometheus-scrape-timeout-seconds': '10' },
            successSample: 'probe_success',
          });
          const mem = await sampler.stop();
          peak[name] = Math.max(peak[name], mem.rss);
          hwm[name] = Math.max(hwm[name], mem.hwm);
          peakPss[name] = Math.max(peakPss[name], mem.pss);
          const lat = summarize(load.latenciesMs);
          const point: ThroughputPoint = {
            module,
            concurrency,
            exporter: name,
            probesPerSecond: round(load.ok / load.elapsedSeconds, 1),
            ok: load.ok,
            failed: load.failed,
            failures: load.failures,
            p50Ms: round(lat.p50),
            p99Ms: round(lat.p99),
          };
          result.points.push(point);
          log(
            `  ${module} c=${concurrency} ${name.padEnd(8)} ${point.probesPerSecond.toFixed(0).padStart(7)} probes/s  p50 ${point.p50Ms.toFixed(2)} ms  p99 ${point.p99Ms.toFixed(2)} ms${load.failed ? `  failed ${load.failed} ${JSON.stringify(load.failures)}` : ''}`,
          );
        }
      }
    }
    for (const name of ['pulse', 'blackbox'] as const) {
      const figures: MemoryFigures = {
        idleMB: round(idle[name] / MB, 1),
        peakMB: round(peak[name] / MB, 1),
        hwmMB: round(Math.max(hwm[name], (await readMemoryOf(await exporters[name].pids())).hwm) / MB, 1),
        idleAnonMB: round(idleSplit[name].anon / MB, 1),
        idleFileMB: round(idleSplit[name].file / MB, 1),
        idlePssMB: round(idleSplit[name].pss / MB, 1),
        peakPssMB: round(peakPss[name] / MB, 1),
        processes: processes[name],
      };
      result.memory[name] = figures;
    }
    return result;
  } finally {
    for (const svc of started.reverse()) await svc.stop();
  }
}

/**
 * A long-running agent has tiered its hot paths up; the first seconds after a start measure V8's
 * JIT, not the probers (start-up is measured apart). Both exporters get the same unrecorded load.
 */
async function warmUp(exporters: Record<ExporterName, Service>, target: { url: string; port: number }, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  for (const [module, prober] of Object.entries(BENCH_MODULES)) {
    const path = probePath(module, prober === 'http' ? `${target.url}/` : `127.0.0.1:${target.port}`);
    for (const name of ['pulse', 'blackbox'] as const) {
      await runLoadInChild({ origin: exporters[name].url, path, concurrency: 8, seconds: seconds / 2, maxRequests: 100_000 });
    }
  }
}
