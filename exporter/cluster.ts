import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { type ClusterMsg as Msg, METRICS_TIMEOUT_MS, type MetricJson, WORKER_ENV } from './cluster-worker.js';

/**
 * `--workers N`: N exporter processes sharing one listening socket (node:cluster), so /probe can
 * use every core as Go's blackbox_exporter does. The primary only supervises: it restarts a
 * worker that dies, forwards SIGHUP (reload) and SIGTERM/SIGINT (graceful stop), and merges the
 * workers' own metrics so /metrics counts every probe, whichever worker answers the scrape.
 */

const RESTART_DELAY_MS = 1_000;

/** Runs the primary; resolves when every worker has exited after SIGTERM/SIGINT. */
export function runPrimary(workers: number, log: (msg: string) => void): Promise<number> {
  const byIndex = new Map<number, Worker>();
  let stopping = false;
  const fork = (index: number) => {
    const w = cluster.fork({ [WORKER_ENV]: String(index) });
    byIndex.set(index, w);
    w.on('message', (m: Msg) => onMessage(w, m));
    w.once('exit', (code, signal) => {
      byIndex.delete(index);
      if (stopping) {
        if (byIndex.size === 0) done(0);
        return;
      }
      log(`worker ${index} exited (${signal ?? code}); restarting it in ${RESTART_DELAY_MS} ms`);
      // Not unref'ed: with every worker gone, this timer is what keeps the primary alive.
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS);
    });
  };

  let nextId = 0;
  const pending = new Map<number, { parts: MetricJson[][]; waiting: number; resolve: () => void }>();
  const onMessage = (from: Worker, m: Msg) => {
    if (m.pulse === 'metrics-request') {
      void mergedMetrics().then(
        (text) => from.send({ pulse: 'metrics-answer', id: m.id, text, contentType: AggregatorRegistry.PROMETHEUS_CONTENT_TYPE } satisfies Msg),
        () => from.send({ pulse: 'metrics-answer', id: m.id, text: null, contentType: '' } satisfies Msg),
      );
    } else if (m.pulse === 'metrics-part') {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.metrics) p.parts.push(m.metrics);
      if (--p.waiting === 0) p.resolve();
    }
  };
  const mergedMetrics = async (): Promise<string> => {
    const id = nextId++;
    const alive = [...byIndex.values()].filter((w) => w.isConnected());
    const parts: MetricJson[][] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, METRICS_TIMEOUT_MS);
      pending.set(id, {
        parts,
        waiting: alive.length,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      if (alive.length === 0) resolve();
      for (const w of alive) w.send({ pulse: 'metrics-collect', id } satisfies Msg);
    });
    pending.delete(id);
    return AggregatorRegistry.aggregate(parts.map(perProcessGauges)).metrics();
  };

  let done: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    done = resolve;
  });
  for (let i = 0; i < workers; i++) fork(i);
  process.on('SIGHUP', () => {
    for (const w of byIndex.values()) w.process.kill('SIGHUP');
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${byIndex.size} workers`);
    if (byIndex.size === 0) done(0);
    for (const w of byIndex.values()) w.process.kill(signal);
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return finished;
}

/**
 * Gauges describing the process (build info, config reload state, prober availability) are the
 * same in every worker: merge them with max rather than prom-client's default sum. Reload success
 * takes the min: one worker that failed to reload means the exporter is not running its config.
 */
export function perProcessGauges(metrics: MetricJson[]): MetricJson[] {
  return metrics.map((m) => {
    if (m.type !== 'gauge' || !/^(pulse|blackbox)_exporter_/.test(m.name) || m.name === 'pulse_exporter_probes_in_flight') return m;
    return { ...m, aggregator: m.name.endsWith('_exporter_config_last_reload_successful') ? 'min' : 'max' };
  });
}
