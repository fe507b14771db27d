import { BENCH_MODULES, probePath } from './configs.js';
import { MB, type Memory, readMemoryOf, sampleMemory } from './memory.js';
import { preflight } from './preflight.js';
import { runLoadInChild, type Service, sleep } from './proc.js';
import type { ExporterName, MemoryFigures, ThroughputPoint, ThroughputResult } from './results.js';
import { startBlackbox, startFastTarget, startPulseExporter } from './services.js';
import { benchStartup } from './startup.js';
import type { BenchSettings } from './settings.js';
import { round, summarize } from './stats.js';

/** When the memory of a process that has just started is read (reported, not judged). */
const JUST_STARTED_MS = 2_000;
/**
 * When idle memory is read, from the exporters' start. Node 20's V8 gives back the pages its young
 * generation grew to while the modules loaded only in the memory reducer's first GC, 8 s after the
 * first full GC of start-up (kLongDelayMs in V8's memory-reducer.cc, not a flag): a reading before
 * that measures start-up, not an agent waiting for scrapes. Both exporters get the same wait.
 */
const IDLE_AFTER_MS = 12_000;

/** Memory of one exporter's processes: idle after start-up, then the highest seen under load. */
interface MemoryTrack {
  processes: number;
  idle: { rss: number; anon: number; file: number; pss: number };
  /** RSS (PSS for several processes) JUST_STARTED_MS after start. */
  justStarted: { rss: number; pss: number };
  peak: { rss: number; hwm: number; pss: number };
}

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
    const startedAt = Date.now();
    await sleep(JUST_STARTED_MS);
    const justStarted = { pulse: await readMemoryOf(await exporters.pulse.pids()), blackbox: await readMemoryOf(await exporters.blackbox.pids()) };
    await sleep(Math.max(0, startedAt + IDLE_AFTER_MS - Date.now()));
    const memory = { pulse: await idleMemory(exporters.pulse, justStarted.pulse), blackbox: await idleMemory(exporters.blackbox, justStarted.blackbox) };
    const { pulse: p, blackbox: b } = memory;
    const mb = (n: number) => (n / MB).toFixed(1);
    log(`  RSS ${JUST_STARTED_MS / 1000} s after start: pulse ${mb(p.justStarted.rss)} MB, blackbox ${mb(b.justStarted.rss)} MB`);
    log(`  idle RSS (${IDLE_AFTER_MS / 1000} s after start): pulse ${mb(p.idle.rss)} MB (anon ${mb(p.idle.anon)}), blackbox ${mb(b.idle.rss)} MB (anon ${mb(b.idle.anon)})`);

    const result: ThroughputResult = { target: `${target.name} ${target.url}`, points: [], memory: {}, errors: {} };
    if (startup) result.startup = startup;
    await warmUp(exporters, target, s.jitWarmupSeconds);
    let turn = 0;
    for (const [module, prober] of Object.entries(BENCH_MODULES)) {
      const path = probePath(module, prober === 'http' ? `${target.url}/` : `127.0.0.1:${target.port}`);
      const broken = await brokenBeforeLoad(exporters, path);
      if (broken) {
        result.errors[module] = broken;
        log(`  ${module}: skipped, a probe fails before any load: ${broken}`);
        continue;
      }
      for (const concurrency of s.concurrency) {
        // Alternate who goes first so neither always runs on the warmer (or busier) machine.
        const order: ExporterName[] = turn++ % 2 === 0 ? ['pulse', 'blackbox'] : ['blackbox', 'pulse'];
        for (const name of order) {
          const point = await measurePoint(exporters[name], memory[name], { module, path, concurrency, exporter: name }, s);
          result.points.push(point);
          const failed = point.failed ? `  failed ${point.failed} ${JSON.stringify(point.failures)}` : '';
          log(
            `  ${module} c=${concurrency} ${name.padEnd(8)} ${point.probesPerSecond.toFixed(0).padStart(7)} probes/s  p50 ${point.p50Ms.toFixed(2)} ms  p99 ${point.p99Ms.toFixed(2)} ms${failed}`,
          );
        }
      }
    }
    // Where an agent settles between scrapes once it has worked: the same wait, after the load.
    await sleep(IDLE_AFTER_MS);
    for (const name of ['pulse', 'blackbox'] as const) result.memory[name] = await memoryFigures(exporters[name], memory[name]);
    const after = (name: ExporterName) => result.memory[name]?.afterLoadMB;
    log(`  RSS ${IDLE_AFTER_MS / 1000} s after the load: pulse ${after('pulse')} MB, blackbox ${after('blackbox')} MB`);
    return result;
  } finally {
    for (const svc of started.reverse()) await svc.stop();
  }
}

async function idleMemory(svc: Service, justStarted: Memory): Promise<MemoryTrack> {
  const pids = await svc.pids();
  const m = await readMemoryOf(pids);
  return {
    processes: pids.length,
    idle: { rss: m.rss, anon: m.anon, file: m.file, pss: m.pss },
    justStarted: { rss: justStarted.rss, pss: justStarted.pss },
    peak: { rss: Math.max(m.rss, justStarted.rss), hwm: m.rss, pss: Math.max(m.pss, justStarted.pss) },
  };
}

/** Why a module cannot be measured (a probe fails on either exporter before any load), or undefined. */
async function brokenBeforeLoad(exporters: Record<ExporterName, Service>, path: string): Promise<string | undefined> {
  const broken: string[] = [];
  for (const name of ['pulse', 'blackbox'] as const) {
    const why = await preflight(exporters[name].url, path);
    if (why) broken.push(`${name}: ${why}`);
  }
  return broken.length > 0 ? broken.join('; ') : undefined;
}

/** One load run against one exporter, its memory sampled throughout (peaks kept in `mem`). */
async function measurePoint(
  svc: Service,
  mem: MemoryTrack,
  at: { module: string; path: string; concurrency: number; exporter: ExporterName },
  s: BenchSettings,
): Promise<ThroughputPoint> {
  const sampler = sampleMemory(() => svc.pids());
  const load = await runLoadInChild({
    origin: svc.url,
    path: at.path,
    concurrency: at.concurrency,
    seconds: s.seconds,
    warmupSeconds: s.warmupSeconds,
    maxRequests: s.maxRequests,
    headers: { 'x-prometheus-scrape-timeout-seconds': '10' },
    successSample: 'probe_success',
  });
  const sampled = await sampler.stop();
  mem.peak = { rss: Math.max(mem.peak.rss, sampled.rss), hwm: Math.max(mem.peak.hwm, sampled.hwm), pss: Math.max(mem.peak.pss, sampled.pss) };
  const lat = summarize(load.latenciesMs);
  return {
    module: at.module,
    concurrency: at.concurrency,
    exporter: at.exporter,
    probesPerSecond: round(load.ok / load.elapsedSeconds, 1),
    ok: load.ok,
    failed: load.failed,
    failures: load.failures,
    p50Ms: round(lat.p50),
    p99Ms: round(lat.p99),
  };
}

/** The figures reported: idle and peak in MB; the high-water mark read once more at the end. */
async function memoryFigures(svc: Service, mem: MemoryTrack): Promise<MemoryFigures> {
  const now = await readMemoryOf(await svc.pids());
  const hwm = Math.max(mem.peak.hwm, now.hwm);
  return {
    idleMB: round(mem.idle.rss / MB, 1),
    justStartedMB: round(mem.justStarted.rss / MB, 1),
    justStartedPssMB: round(mem.justStarted.pss / MB, 1),
    afterLoadMB: round((mem.processes > 1 ? now.pss : now.rss) / MB, 1),
    peakMB: round(mem.peak.rss / MB, 1),
    hwmMB: round(hwm / MB, 1),
    idleAnonMB: round(mem.idle.anon / MB, 1),
    idleFileMB: round(mem.idle.file / MB, 1),
    idlePssMB: round(mem.idle.pss / MB, 1),
    peakPssMB: round(mem.peak.pss / MB, 1),
    processes: mem.processes,
  };
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
