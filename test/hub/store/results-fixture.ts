import type { Measurement, Row } from '../../../hub/measurement.js';
import type { Operation } from '../../../hub/operations/operation.js';

let n = 0;

/** A finished measurement as the hub stores it, with one row per agent. */
export function measurement(opts: { at: number; type?: string; target?: string; agents?: string[]; id?: string }): Measurement {
  const agents = opts.agents ?? ['ams', 'fra'];
  const target = opts.target ?? 'example.org';
  const rows: Row[] = agents.map((agent, i) => ({
    agent,
    labels: { site: agent },
    target,
    status: i % 2 === 0 ? 'ok' : 'failed',
    ...(i % 2 === 0 ? {} : { reason: 'connection refused' }),
    duration_seconds: 0.01 * (i + 1),
    result: { protocol: 1, success: i % 2 === 0, duration_seconds: 0.01, values: {}, details: { answer: 'x'.repeat(200) } } as never,
  }));
  return {
    id: opts.id ?? `m${String(++n).padStart(6, '0')}`,
    type: opts.type ?? 'tcp',
    target,
    options: {},
    agents: {},
    status: 'done',
    created_at: new Date(opts.at).toISOString(),
    finished_at: new Date(opts.at + 50).toISOString(),
    timeout: 10,
    summary: { ok: Math.ceil(agents.length / 2), failed: Math.floor(agents.length / 2), timeout: 0, offline: 0 },
    rows,
  };
}

export function operation(handle: string, at: number): Operation {
  return {
    handle,
    status: 'done',
    finished: true,
    created_at: new Date(at).toISOString(),
    finished_at: new Date(at + 10).toISOString(),
    elapsed_seconds: 0.01,
    timeout: 10,
    agents: {},
    operations: { hosts: { type: 'file_exists', path: '/etc/hosts' } } as never,
    summary: { ok: 1, failed: 0, timeout: 0, offline: 0, running: 0 },
    results: [],
  };
}
