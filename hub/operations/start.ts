import { randomBytes } from 'node:crypto';
import { type FanoutDeps, fanOut } from '../fanout.js';
import type { MeasurementStore } from '../measurements.js';
import type { AgentView, Registry } from '../registry.js';
import type { RunningLimit } from '../running.js';
import { matchesSelector } from '../selector.js';
import type { OperationMetrics } from './metrics.js';
import { LiveOperation } from './operation.js';
import type { OperationSpec } from './request.js';

export const HANDLE_PREFIX = 'op_';

/**
 * 128 random bits after a prefix: unguessable, and never mistaken for a measurement id (those are
 * 22 characters without the prefix), so one `pulse get` serves both.
 */
export function newOperationHandle(): string {
  return `${HANDLE_PREFIX}${randomBytes(16).toString('base64url')}`;
}

export interface OperationDeps extends FanoutDeps {
  registry: Registry;
  operations: MeasurementStore<LiveOperation>;
  operationMetrics?: OperationMetrics;
  /** Shared with measurements; a full limit makes startOperation throw PULSE_BUSY. */
  running?: RunningLimit;
}

/** The agents an operation's selector picks. */
export function operationAgents(spec: OperationSpec, deps: Pick<OperationDeps, 'registry'>): AgentView[] {
  return deps.registry.list().filter((a) => matchesSelector(spec.selector, a));
}

/**
 * Starts every check on every selected agent and returns at once. Each check is one fan-out (the
 * hub's own, with its deadline and its concurrency queue), all of them at the same time.
 */
export function startOperation(spec: OperationSpec, deps: OperationDeps, started: { agents?: AgentView[]; onFinish?: () => void } = {}): LiveOperation {
  const release = deps.running?.acquire();
  const agents = started.agents ?? operationAgents(spec, deps);
  const live = new LiveOperation({
    handle: newOperationHandle(),
    operations: spec.operations,
    selector: spec.selector,
    timeoutSeconds: spec.timeoutSeconds,
    agents,
    targets: Object.fromEntries(spec.checks.map((c) => [c.name, c.run.target])),
  });
  deps.operations.add(live);
  deps.operationMetrics?.operations.inc();
  const runs = spec.checks.map((c) =>
    fanOut({ type: c.run.type, targets: [c.run.target], options: c.run.options, timeoutSeconds: spec.timeoutSeconds, agents }, deps, (row) => {
      const status = live.settle(c.name, row);
      if (status) deps.operationMetrics?.results.inc({ type: c.type, status });
    }),
  );
  Promise.allSettled(runs).then((results) => {
    for (const r of results) if (r.status === 'rejected') deps.logger?.error({ err: r.reason, operation: live.handle }, 'fan-out failed');
    release?.();
    started.onFinish?.();
    live.finish();
  });
  return live;
}
