import { describe, expect, it } from 'vitest';
import type { Row } from '../../hub/measurement.js';
import { judge } from '../../hub/operations/judge.js';
import { LiveOperation, type OperationInit } from '../../hub/operations/operation.js';
import type { RunResult } from '../../client/api.js';

function run(success: boolean, details: Record<string, unknown>, reason?: string): RunResult {
  return {
    protocol: 1,
    type: 'file_exists',
    target: '/tmp/virus.exe',
    success,
    ...(reason ? { reason } : {}),
    duration_seconds: 0.001,
    timeout_seconds: 10,
    metrics: {},
    details,
    logs: [],
  };
}

function row(status: Row['status'], result: RunResult | null, reason?: string): Row {
  return { agent: 'a', labels: {}, target: '/tmp/virus.exe', status, ...(reason ? { reason } : {}), duration_seconds: 0.002, result };
}

describe('judge', () => {
  it('keeps the probe verdict for werify check types', () => {
    expect(judge('file_exists', row('failed', run(false, { exists: false }), 'gone'))).toEqual({ status: 'failed', reason: 'gone' });
    expect(judge('file_contains', row('ok', run(true, {})))).toEqual({ status: 'ok' });
  });

  it('file_absent passes on a file the agent did not find, fails on one it found or could not look at', () => {
    expect(judge('file_absent', row('failed', run(false, { path: '/tmp/virus.exe', exists: false }), 'does not exist'))).toEqual({ status: 'ok' });
    expect(judge('file_absent', row('ok', run(true, { path: '/tmp/virus.exe', exists: true })))).toEqual({
      status: 'failed',
      reason: '/tmp/virus.exe exists, and must not',
    });
    expect(judge('file_absent', row('failed', run(false, { path: '/tmp/virus.exe' }), 'path /tmp/virus.exe is not under ...'))).toEqual({
      status: 'failed',
      reason: 'path /tmp/virus.exe is not under ...',
    });
    expect(judge('file_absent', row('timeout', null, 'no answer within 10s'))).toEqual({ status: 'timeout', reason: 'no answer within 10s' });
    expect(judge('file_absent', row('offline', null, 'agent inactive'))).toEqual({ status: 'offline', reason: 'agent inactive' });
  });
});

describe('LiveOperation', () => {
  const init: OperationInit = {
    handle: 'op_x',
    operations: {
      virus: { type: 'file_absent', path: '/tmp/virus.exe' },
      bash: { type: 'process_running', check: 'bash' },
    },
    selector: {},
    timeoutSeconds: 10,
    agents: [
      { name: 'a', labels: { site: 'ams' } },
      { name: 'b', labels: {} },
    ],
    targets: { virus: '/tmp/virus.exe', bash: 'bash' },
  };

  it('lists every agent and check as running from the start, then settles them one by one', () => {
    let clock = 1000;
    const live = new LiveOperation(init, () => clock);
    let v = live.view();
    expect(v.status).toBe('running');
    expect(v.results.map((r) => [r.agent, r.check, r.status, r.finished, r.target, r.path])).toEqual([
      ['a', 'virus', 'running', false, '/tmp/virus.exe', '/tmp/virus.exe'],
      ['a', 'bash', 'running', false, 'bash', null],
      ['b', 'virus', 'running', false, '/tmp/virus.exe', '/tmp/virus.exe'],
      ['b', 'bash', 'running', false, 'bash', null],
    ]);
    expect(v.summary).toEqual({ ok: 0, failed: 0, timeout: 0, offline: 0, running: 4 });

    clock = 1250;
    expect(live.settle('virus', row('failed', run(false, { exists: false }), 'does not exist'))).toBe('ok');
    // A second row for the same agent and check changes nothing.
    expect(live.settle('virus', row('failed', run(false, { exists: true })))).toBeUndefined();
    v = live.view();
    expect(v.elapsed_seconds).toBe(0.25);
    expect(v.results[0]).toMatchObject({ status: 'ok', success: true, finished: true, elapsed_seconds: 0.25, duration_seconds: 0.002 });
    expect(v.results[0]?.error).toBeUndefined();

    clock = 1500;
    live.settle('bash', { ...row('offline', null, 'agent inactive'), agent: 'b' });
    live.finish();
    clock = 9999;
    v = live.view();
    expect(v.finished).toBe(true);
    expect(v.finished_at).not.toBeNull();
    expect(v.elapsed_seconds).toBe(0.5);
    expect(v.results.find((r) => r.agent === 'b' && r.check === 'bash')).toMatchObject({ status: 'offline', error: 'agent inactive' });
    // What no fan-out settled by the end is shown as such, never as running forever.
    expect(v.results.filter((r) => r.error === 'no result').map((r) => `${r.agent}/${r.check}`)).toEqual(['a/bash', 'b/virus']);
    expect(v.summary).toEqual({ ok: 1, failed: 0, timeout: 2, offline: 1, running: 0 });
  });
});
