/**
 * The worker side of `--workers N` (the primary is in cluster.ts, loaded only by a primary, with
 * node:cluster and prom-client's aggregator). A worker is told by the variable the primary sets
 * in its environment and by its IPC channel; Node removes NODE_UNIQUE_ID, which cluster.isWorker
 * reads, before our code runs.
 */

/** One metric as prom-client's getMetricsAsJSON gives it, after the trip over IPC. */
export type MetricJson = { name: string; type: string; aggregator?: string; [key: string]: unknown };

export const WORKER_ENV = 'PULSE_EXPORTER_WORKER';
export const METRICS_TIMEOUT_MS = 5_000;

export function isClusterWorker(): boolean {
  return process.env[WORKER_ENV] !== undefined && typeof process.send === 'function';
}

/** 0 for the only process or the first worker: the one that registers with the hub. */
export function workerIndex(): number {
  return Number(process.env[WORKER_ENV] ?? 0);
}

export type ClusterMsg =
  | { pulse: 'metrics-request'; id: number }
  | { pulse: 'metrics-collect'; id: number }
  | { pulse: 'metrics-part'; id: number; metrics: MetricJson[] | null }
  | { pulse: 'metrics-answer'; id: number; text: string | null; contentType: string };

/**
 * Worker side: answers the primary's collection requests from `registry`, and returns a function
 * that /metrics calls to get every worker's metrics merged (undefined when not in a cluster).
 */
export function workerMetrics(registry: { getMetricsAsJSON(): Promise<object[]> }): (() => Promise<{ text: string; contentType: string }>) | undefined {
  if (!isClusterWorker() || !process.send) return undefined;
  let nextId = 0;
  const waiting = new Map<number, (m: Extract<ClusterMsg, { pulse: 'metrics-answer' }>) => void>();
  process.on('message', (m: ClusterMsg) => {
    if (m.pulse === 'metrics-collect') {
      registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ pulse: 'metrics-part', id: m.id, metrics: metrics as MetricJson[] } satisfies ClusterMsg),
        () => process.send?.({ pulse: 'metrics-part', id: m.id, metrics: null } satisfies ClusterMsg),
      );
    } else if (m.pulse === 'metrics-answer') {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error('the primary process did not answer with the merged metrics'));
      }, METRICS_TIMEOUT_MS * 2);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        if (m.text === null) reject(new Error('merging the workers’ metrics failed'));
        else resolve({ text: m.text, contentType: m.contentType });
      });
      process.send?.({ pulse: 'metrics-request', id } satisfies ClusterMsg);
    });
}
