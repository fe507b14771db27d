import { describe, expect, it } from 'vitest';
import type { Operation, OperationResult } from '../../client/operations.js';
import { isOperationHandle, operationExit, operationFooter, renderOperation } from '../../cli/operation-view.js';

function result(agent: string, check: string, status: OperationResult['status'], error?: string): OperationResult {
  return {
    agent,
    labels: {},
    check,
    type: 'file_contains',
    path: '/etc/hosts',
    target: '/etc/hosts',
    status,
    finished: status !== 'running',
    success: status === 'ok',
    ...(error ? { error } : {}),
    elapsed_seconds: status === 'running' ? null : 0.0034,
    duration_seconds: null,
    result: null,
  };
}

function operation(results: OperationResult[], finished = true): Operation {
  const summary = { ok: 0, failed: 0, timeout: 0, offline: 0, running: 0 };
  for (const r of results) summary[r.status]++;
  return {
    handle: 'op_AAAAAAAAAAAAAAAAAAAAAA',
    status: finished ? 'done' : 'running',
    finished,
    created_at: '2026-11-21T08:00:00.000Z',
    finished_at: finished ? '2026-11-21T08:00:00.004Z' : null,
    elapsed_seconds: 0.0036,
    timeout: 10,
    agents: {},
    operations: {},
    summary,
    results,
  };
}

describe('operation view', () => {
  it('tells operation handles from measurement ids', () => {
    expect(isOperationHandle('op_AAAAAAAAAAAAAAAAAAAAAA')).toBe(true);
    // A measurement id is 22 characters and may start with "op_" by chance.
    expect(isOperationHandle('op_AAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(isOperationHandle('AAAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(isOperationHandle('op_../x')).toBe(false);
  });

  it("prints werify's get as an aligned table with its closing line", () => {
    const op = operation([result('ams-1', 'hosts_has_4488', 'ok'), result('nyc-1', 'hosts_has_4488', 'failed', 'no line of /etc/hosts contains "4488"')]);
    expect(renderOperation(op, false)).toEqual([
      'AGENT  CHECK           TYPE           STATUS  SUCCESS  ELAPSED  ERROR',
      'ams-1  hosts_has_4488  file_contains  ok      true     3.40 ms',
      'nyc-1  hosts_has_4488  file_contains  failed  false    3.40 ms  no line of /etc/hosts contains "4488"',
      'Operation ended, took 3.60 ms: 1 ok, 1 failed, 0 timed out, 0 offline',
    ]);
    expect(operationExit(op)).toBe(1);
    expect(operationExit(operation([result('a', 'c', 'ok')]))).toBe(0);
  });

  it('shows what is still missing while it runs, and exits 1 until it is done', () => {
    const op = operation([result('a', 'c', 'ok'), result('b', 'c', 'running')], false);
    const lines = renderOperation(op, false);
    expect(lines[2]).toBe('b      c      file_contains  running  -');
    expect(operationFooter(op)).toBe('Operation still running (3.60 ms so far): 1 of 2 results in; 1 ok, 0 failed, 0 timed out, 0 offline');
    expect(operationExit(op)).toBe(1);
  });

  it('colours the status on a terminal without skewing the columns', () => {
    const lines = renderOperation(operation([result('a', 'c', 'timeout', 'no answer within 10s')]), true);
    expect(lines[1]).toBe('a      c      file_contains  \u001b[33mtimeout\u001b[0m  false    3.40 ms  no answer within 10s');
  });

  it('says so when no agent matched', () => {
    const op = operation([]);
    expect(renderOperation(op, false)[0]).toBe('No agent matched the selector.');
    expect(operationExit(op)).toBe(1);
  });
});
