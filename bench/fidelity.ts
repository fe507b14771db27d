import { probePath } from './configs.js';
import { preflight } from './preflight.js';
import { runLoadInChild, type Service } from './proc.js';
import type { ExporterName, FidelityPoint, FidelityResult } from './results.js';
import { startBlackbox, startPulseExporter, startTargetServer } from './services.js';
import type { BenchSettings } from './settings.js';
import { round, summarize } from './stats.js';

/**
 * Benchmark (3): a target that answers after a fixed delay, probed at each concurrency through
 * both exporters. Each reported `processing` phase minus the delay is the exporter's error; an
 * exporter whose error grows with load is reporting its own queueing as the target's slowness.
 */
export async function benchFidelity(dir: string, s: BenchSettings, log: (line: string) => void): Promise<FidelityResult> {
  const started: Service[] = [];
  try {
    const target = await startTargetServer(dir, s.fidelityDelayMs);
    started.push(target);
    const exporters: Record<ExporterName, Service> = {
      pulse: await startPulseExporter(dir, { workers: s.pulseWorkers }),
      blackbox: await startBlackbox(dir),
    };
    started.push(exporters.pulse, exporters.blackbox);
    const path = probePath('http_2xx', `${target.url}/`);
    const result: FidelityResult = { delayMs: s.fidelityDelayMs, points: [], errors: {} };
    for (const name of ['pulse', 'blackbox'] as const) {
      const why = await preflight(exporters[name].url, path);
      if (why) result.errors[name] = why;
    }
    if (Object.keys(result.errors).length > 0) {
      log(`  skipped, a probe fails before any load: ${JSON.stringify(result.errors)}`);
      return result;
    }
    let turn = 0;
    for (const concurrency of s.fidelityConcurrency) {
      const order: ExporterName[] = turn++ % 2 === 0 ? ['pulse', 'blackbox'] : ['blackbox', 'pulse'];
      for (const name of order) {
        const load = await runLoadInChild({
          origin: exporters[name].url,
          path,
          concurrency,
          seconds: s.fidelitySeconds,
          warmupSeconds: Math.min(s.warmupSeconds, 1),
          maxRequests: s.maxRequests,
          headers: { 'x-prometheus-scrape-timeout-seconds': '10' },
          successSample: 'probe_success',
          extract: { name: 'probe_http_duration_seconds', labels: { phase: 'processing' } },
        });
        const err = summarize(load.values.map((v) => v * 1000 - s.fidelityDelayMs));
        const point: FidelityPoint = {
          concurrency,
          exporter: name,
          samples: err.count,
          failed: load.failed,
          probesPerSecond: round(load.ok / load.elapsedSeconds, 1),
          errorMs: { min: round(err.min), p50: round(err.p50), p99: round(err.p99), max: round(err.max) },
        };
        result.points.push(point);
        log(
          `  c=${String(concurrency).padStart(3)} ${name.padEnd(8)} n=${String(err.count).padStart(6)}  error p50 ${point.errorMs.p50.toFixed(3)} ms  p99 ${point.errorMs.p99.toFixed(3)} ms  max ${point.errorMs.max.toFixed(3)} ms${load.failed ? `  failed ${load.failed} ${JSON.stringify(load.failures)}` : ''}`,
        );
      }
    }
    return result;
  } finally {
    for (const svc of started.reverse()) await svc.stop();
  }
}
