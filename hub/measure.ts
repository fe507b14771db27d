import { redactSecrets } from '../lib/redact.js';
import { type FanoutDeps, fanOut } from './fanout.js';
import { LiveMeasurement } from './live.js';
import type { Measurement, Row } from './measurement.js';
import type { MeasurementStore } from './measurements.js';
import { newMeasurementId } from './measurements.js';
import type { AgentView, Registry } from './registry.js';
import type { RunningLimit } from './running.js';
import type { MeasurementSpec } from './request.js';
import { selectAgents } from './select-agents.js';
import { matchesSelector } from './selector.js';

export interface MeasureDeps extends FanoutDeps {
  registry: Registry;
  store: MeasurementStore;
  /** Shared with operations; a full limit makes startMeasurement throw PULSE_BUSY. */
  running?: RunningLimit;
  /**
   * Writes the finished measurement to the result store. Its "done" (the JSON answer, the stream's
   * last line) waits for it, so a measurement reported done survives a crash right after.
   */
  persist?: (m: Measurement) => Promise<void>;
  /** Adds what the hub knows to a row before it is shown (ASNs of hops and addresses). */
  enrichRow?: (row: Row) => Promise<Row>;
}

/** The agents a measurement's selector picks (404 for an unknown same_as). */
export function measurementAgents(spec: MeasurementSpec, deps: Pick<MeasureDeps, 'registry' | 'store'>): AgentView[] {
  return selectAgents(spec.selector, deps.registry.list(), (a) => matchesSelector(spec.selector, a), (id) => deps.store.get(id)?.data.rows);
}

/**
 * Starts a measurement and returns at once; rows arrive on the LiveMeasurement as agents answer.
 * `started.agents`: already selected (by a caller that had to count them); `started.onFinish` runs
 * once when the measurement is sealed.
 */
export function startMeasurement(spec: MeasurementSpec, deps: MeasureDeps, started: { agents?: AgentView[]; onFinish?: () => void } = {}): LiveMeasurement {
  // Selected first: a bad same_as must not hold a running slot.
  const agents = started.agents ?? measurementAgents(spec, deps);
  const release = deps.running?.acquire();
  const live = new LiveMeasurement(
    {
      id: newMeasurementId(),
      type: spec.type,
      target: spec.target,
      // Anyone with the id may read it back: passwords and tokens are sent to agents, never shown.
      options: redactSecrets(spec.options) as Record<string, unknown>,
      agents: spec.selector,
      created_at: new Date().toISOString(),
      timeout: spec.timeoutSeconds,
    },
    spec.targets,
  );
  deps.store.add(live);
  deps.metrics?.measurements.inc({ type: spec.type });
  const job = { type: spec.type, targets: spec.targets, options: spec.options, timeoutSeconds: spec.timeoutSeconds, agents };
  const enriching: Promise<void>[] = [];
  fanOut(job, deps, (row) => {
    deps.metrics?.rows.inc({ type: spec.type, status: row.status });
    if (!deps.enrichRow) return live.addRow(row);
    enriching.push(deps.enrichRow(row).then((r) => live.addRow(r), () => live.addRow(row)));
  })
    .catch((err: unknown) => deps.logger?.error({ err, measurement: live.data.id }, 'fan-out failed'))
    .then(() => Promise.all(enriching))
    .finally(() => {
      release?.();
      started.onFinish?.();
      const sealed = live.seal();
      const kept = deps.persist?.(sealed).catch((err: unknown) => deps.logger?.error({ err, measurement: sealed.id }, 'storing the measurement failed'));
      if (kept) kept.then(() => live.finish());
      else live.finish();
    });
  return live;
}
