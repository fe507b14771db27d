import type { FastifyReply, FastifyRequest } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import { LiveMeasurement } from '../live.js';
import type { Measurement } from '../measurement.js';
import type { MeasurementStore } from '../measurements.js';
import { answerMode, sendMeasurement } from '../respond.js';
import type { SharedRuns } from '../store/redis/running.js';
import type { ResultStore } from '../store/results.js';

export interface MeasurementReadDeps {
  store: MeasurementStore;
  results?: ResultStore | undefined;
  /** Measurements running on other replicas (Redis store only). */
  sharedRuns?: SharedRuns | undefined;
}

function notFound(id: string): PulseError {
  return new PulseError('PULSE_NOT_FOUND', `no measurement ${id.slice(0, 64)} (unknown, or expired)`);
}

/**
 * GET /api/v1/measurements/ID: here and running, kept, or running on another replica. With
 * `Accept: application/x-ndjson` (or text/event-stream) its rows stream as they arrive, then the
 * end, the same lines as the POST that started it; a finished one streams at once.
 */
export async function readMeasurement(req: FastifyRequest, reply: FastifyReply, deps: MeasurementReadDeps): Promise<unknown> {
  const { id } = req.params as { id: string };
  const mode = answerMode(req);
  const local = deps.store.get(id);
  if (mode !== 'ndjson' && mode !== 'sse') {
    const m = local?.data ?? (await deps.results?.getMeasurement(id)) ?? (await deps.sharedRuns?.snapshot(id));
    if (!m) throw notFound(id);
    return m;
  }
  const live = local ?? finished(await deps.results?.getMeasurement(id)) ?? (await deps.sharedRuns?.follow(id));
  if (!live) throw notFound(id);
  return sendMeasurement(req, reply, live);
}

/** A kept measurement as a finished live one, so it streams like the others. */
function finished(m: Measurement | undefined): LiveMeasurement | undefined {
  if (!m) return undefined;
  const live = new LiveMeasurement({ id: m.id, type: m.type, target: m.target, options: m.options, agents: m.agents, created_at: m.created_at, timeout: m.timeout });
  for (const r of m.rows) live.addRow(r);
  live.finish();
  return live;
}
