import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Operation, OperationResult } from '../../hub/operations/operation.js';
import { MAX_OPERATION_CHECKS } from '../../lib/operations.js';
import type { Fleet } from '../helpers/fleet.js';
import { promtoolProblems } from '../helpers/icmp-mtr.js';
import { getOperation, type HostTree, makeHostTree, startHostFleet, submit, waitFinished } from './operations-fixture.js';

/** Host-check operations on a real hub with two real exporters, over real files and processes. */

let tree: HostTree;
let fleet: Fleet;

beforeAll(async () => {
  tree = await makeHostTree();
  fleet = await startHostFleet(tree);
});
afterAll(async () => {
  await fleet?.close();
  await tree?.close();
});

function result(op: Operation, agent: string, check: string): OperationResult {
  const r = op.results.find((x) => x.agent === agent && x.check === check);
  if (!r) throw new Error(`no result for ${agent}/${check}`);
  return r;
}

async function run(operations: unknown, extra: Record<string, unknown> = {}): Promise<Operation> {
  const res = await submit(fleet.hubUrl, { operations, ...extra });
  expect(res.status).toBe(202);
  const { handle, url } = (await res.json()) as { handle: string; url: string };
  expect(url).toBe(`/api/v1/operations/${handle}`);
  expect(res.headers.get('location')).toBe(url);
  return waitFinished(fleet.hubUrl, handle);
}

async function refused(body: unknown): Promise<{ status: number; code: string; message: string }> {
  const res = await submit(fleet.hubUrl, body);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...error };
}

describe('an operations file across two exporters', () => {
  let op: Operation;
  let checks: Record<string, unknown>;
  beforeAll(async () => {
    checks = {
      virus_file_exists: { type: 'file_exists', path: tree.missing },
      hosts_file_exists: { type: 'file_exists', path: tree.hosts },
      hosts_has_4488: { type: 'file_contains', path: tree.hosts, check: '4488' },
      hosts_has_9999: { type: 'file_contains', path: tree.hosts, check: 'db-9999' },
      sleeper_by_path: { type: 'process_running', path: tree.sleeper, check: tree.sleeperName },
      sleeper_by_name: { type: 'process_running', check: tree.sleeperName },
      idle_running: { type: 'process_running', path: tree.idle },
      secret_exists: { type: 'file_exists', path: tree.secret },
      escape_contains: { type: 'file_contains', path: tree.escape, check: 'elsewhere' },
      virus_absent: { type: 'file_absent', path: tree.missing },
      hosts_absent: { type: 'file_absent', path: tree.hosts },
      escape_absent: { type: 'file_absent', path: tree.escape },
    };
    op = await run(checks);
  });

  test('the handle is unguessable and the operation is finished with its elapsed time', () => {
    expect(op.handle).toMatch(/^op_[A-Za-z0-9_-]{22}$/);
    expect(op.status).toBe('done');
    expect(op.finished).toBe(true);
    expect(op.finished_at).not.toBeNull();
    expect(op.elapsed_seconds).toBeGreaterThan(0);
    expect(op.operations).toEqual(checks);
    expect(op.timeout).toBe(10);
  });

  test('one result per agent and check, agents by name, checks in file order', () => {
    const names = Object.keys(checks);
    expect(op.results.map((r) => `${r.agent}/${r.check}`)).toEqual([...names.map((n) => `a/${n}`), ...names.map((n) => `b/${n}`)]);
    for (const r of op.results) {
      expect(r.finished).toBe(true);
      expect(r.elapsed_seconds).toBeGreaterThanOrEqual(0);
      expect(r.success).toBe(r.status === 'ok');
      expect(r.labels).toEqual(r.agent === 'a' ? { site: 'ams' } : { site: 'nyc' });
    }
    expect(op.summary).toEqual({ ok: 11, failed: 13, timeout: 0, offline: 0, running: 0 });
  });

  test('file_exists: passes on an existing file, fails on a missing one, on both agents', () => {
    for (const agent of ['a', 'b']) {
      const ok = result(op, agent, 'hosts_file_exists');
      expect(ok.status).toBe('ok');
      expect(ok.error).toBeUndefined();
      expect(ok.result?.details).toMatchObject({ exists: true, type: 'file' });
      expect(ok.result?.metrics.probe_host_file_exists).toBe(1);
      const missing = result(op, agent, 'virus_file_exists');
      expect(missing).toMatchObject({ status: 'failed', success: false, error: `${tree.missing} does not exist` });
      expect(missing.result?.metrics.probe_host_file_exists).toBe(0);
    }
  });

  test('file_contains: passes when a line holds the text, fails when none does, never shows the content', () => {
    for (const agent of ['a', 'b']) {
      const ok = result(op, agent, 'hosts_has_4488');
      expect(ok.status).toBe('ok');
      expect(ok.result?.details).toMatchObject({ matching_lines: 1, first_matching_line_number: 3, lines: 3 });
      expect(JSON.stringify(ok)).not.toContain('db-4488.internal');
      const no = result(op, agent, 'hosts_has_9999');
      expect(no.status).toBe('failed');
      expect(no.error).toContain(`no line of ${tree.hosts}`);
      expect(no.result?.metrics.probe_host_file_matching_lines).toBe(0);
    }
  });

  test('process_running: a running process by path and name, by name alone; a stopped binary fails', () => {
    for (const agent of ['a', 'b']) {
      const byPath = result(op, agent, 'sleeper_by_path');
      expect(byPath.status).toBe('ok');
      expect(byPath.target).toBe(tree.sleeper);
      expect(byPath.result?.metrics.probe_host_processes_matching).toBe(1);
      const byName = result(op, agent, 'sleeper_by_name');
      expect(byName.status).toBe('ok');
      expect(byName.path).toBeNull();
      expect(byName.target).toBe(tree.sleeperName);
      const idle = result(op, agent, 'idle_running');
      expect(idle.status).toBe('failed');
      expect(idle.error).toContain(`no running process with executable ${tree.idle}`);
    }
  });

  test('a path one agent allows and the other does not: ok on one, refused with the reason on the other', () => {
    expect(result(op, 'a', 'secret_exists').status).toBe('ok');
    const b = result(op, 'b', 'secret_exists');
    expect(b.status).toBe('failed');
    expect(b.error).toBe(`path ${tree.secret} is not under exporter.host_checks.allowed_paths`);
  });

  test('a symlink leading out of the allowed tree is refused on every agent', () => {
    for (const agent of ['a', 'b']) {
      const r = result(op, agent, 'escape_contains');
      expect(r.status).toBe('failed');
      expect(r.error).toBe(
        `path ${tree.escape} resolves to ${tree.dir}/outside/file (through a symlink), which is not under exporter.host_checks.allowed_paths`,
      );
      expect(r.result?.metrics.probe_host_file_matching_lines).toBeUndefined();
    }
  });

  test('file_absent: passes only when the agent looked and found nothing; a refusal is no pass', () => {
    for (const agent of ['a', 'b']) {
      const absent = result(op, agent, 'virus_absent');
      expect(absent).toMatchObject({ status: 'ok', success: true, type: 'file_absent', target: tree.missing });
      expect(absent.error).toBeUndefined();
      expect(absent.result?.type).toBe('file_exists');
      expect(absent.result?.details.exists).toBe(false);
      expect(result(op, agent, 'hosts_absent')).toMatchObject({ status: 'failed', success: false, error: `${tree.hosts} exists, and must not` });
      const escaped = result(op, agent, 'escape_absent');
      expect(escaped.status).toBe('failed');
      expect(escaped.error).toContain('(through a symlink), which is not under exporter.host_checks.allowed_paths');
    }
  });

  test('the handle keeps answering the same finished operation', async () => {
    const again = await getOperation(fleet.hubUrl, op.handle);
    expect(again.results).toEqual(op.results);
    expect(again.elapsed_seconds).toBe(op.elapsed_seconds);
  });
});

describe('selection and handles', () => {
  test('the agent selector picks agents by label and by name', async () => {
    const checks = { hosts: { type: 'file_exists', path: tree.hosts } };
    const nyc = await run(checks, { agents: { site: 'nyc' }, timeout: 5 });
    expect(nyc.results.map((r) => r.agent)).toEqual(['b']);
    expect(nyc.agents).toEqual({ site: 'nyc' });
    expect(nyc.timeout).toBe(5);
    const byName = await run(checks, { agents: { name: 'a' } });
    expect(byName.results.map((r) => r.agent)).toEqual(['a']);
    const none = await run(checks, { agents: { site: 'mars' } });
    expect(none.results).toEqual([]);
    expect(none.finished).toBe(true);
  });

  test('unknown or measurement handles are 404 with the error shape', async () => {
    for (const handle of ['op_AAAAAAAAAAAAAAAAAAAAAA', 'nope']) {
      const res = await fetch(`${fleet.hubUrl}/api/v1/operations/${handle}`);
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('PULSE_NOT_FOUND');
      expect(error.message).toContain(`no operation ${handle}`);
    }
  });

  test('the hub counts operations and their results in its own metrics', async () => {
    const text = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
    expect(text).toMatch(/^pulse_hub_operations_total [1-9]/m);
    expect(text).toMatch(/^pulse_hub_operation_results_total\{type="file_contains",status="ok"\} [1-9]/m);
    expect(text).toMatch(/^pulse_hub_operation_results_total\{type="file_absent",status="ok"\} [1-9]/m);
    expect(await promtoolProblems(text)).toBe('');
  });
});

describe('invalid operations are refused with 400 and the reason', () => {
  const hosts = () => tree.hosts;
  test.each([
    ['unknown type', { x: { type: 'file_smells', path: '/etc/hosts' } }, 'PULSE_UNKNOWN_TYPE', 'operations: check "x": unknown type "file_smells" (one of: file_exists, file_contains, process_running, file_absent)'],
    ['missing type', { x: { path: '/etc/hosts' } }, 'PULSE_BAD_REQUEST', 'operations: check "x": missing "type"'],
    ['missing path', { x: { type: 'file_exists' } }, 'PULSE_BAD_REQUEST', 'operations: check "x": file_exists needs "path"'],
    ['missing check', { x: { type: 'file_contains', path: '/etc/hosts' } }, 'PULSE_BAD_REQUEST', 'operations: check "x": file_contains needs "check"'],
    ['process without path or check', { x: { type: 'process_running' } }, 'PULSE_BAD_REQUEST', 'process_running needs "path"'],
    ['extra key', { x: { type: 'file_exists', path: '/etc/hosts', mode: 1 } }, 'PULSE_BAD_REQUEST', 'operations: check "x": unknown key "mode" (allowed: type, path, check)'],
    ['check on file_exists', { x: { type: 'file_exists', path: '/etc/hosts', check: 'y' } }, 'PULSE_BAD_REQUEST', 'file_exists takes no "check"'],
    ['missing path on file_absent', { x: { type: 'file_absent' } }, 'PULSE_BAD_REQUEST', 'operations: check "x": file_absent needs "path"'],
    ['non-string path', { x: { type: 'file_exists', path: 5 } }, 'PULSE_BAD_REQUEST', 'operations: check "x": "path" must be a non-empty string'],
    ['empty object', {}, 'PULSE_BAD_REQUEST', 'operations is empty'],
    ['not an object', ['a'], 'PULSE_BAD_REQUEST', 'operations must be an object'],
    ['relative path', { x: { type: 'file_exists', path: 'etc/hosts' } }, 'PULSE_BAD_TARGET', 'operations: check "x": target "etc/hosts": path must be absolute'],
    ['dot-dot path', { x: { type: 'file_contains', path: '/etc/../etc/hosts', check: 'a' } }, 'PULSE_BAD_TARGET', 'path must not contain ".."'],
    ['slash in a process name', { x: { type: 'process_running', path: '/usr/bin/ssh', check: 'a/b' } }, 'PULSE_BAD_OPTIONS', 'operations: check "x": options.check'],
  ])('%s', async (_name, operations, code, message) => {
    const r = await refused({ operations });
    expect(r.status).toBe(400);
    expect(r.code).toBe(code);
    expect(r.message).toContain(message);
  });

  test('too many checks', async () => {
    const operations = Object.fromEntries(
      Array.from({ length: MAX_OPERATION_CHECKS + 1 }, (_, i) => [`c${i}`, { type: 'file_exists', path: hosts() }]),
    );
    const r = await refused({ operations });
    expect(r.status).toBe(400);
    expect(r.message).toBe(`operations has ${MAX_OPERATION_CHECKS + 1} checks; at most ${MAX_OPERATION_CHECKS} are allowed`);
  });

  test('the bare werify object gets a hint to wrap it; unknown fields, selectors and timeouts are checked', async () => {
    const bare = await refused({ x: { type: 'file_exists', path: hosts() } });
    expect(bare.status).toBe(400);
    expect(bare.message).toContain('send it as {"operations": <the file>');
    const extra = await refused({ operations: { x: { type: 'file_exists', path: hosts() } }, targets: [] });
    expect(extra.message).toBe('unknown field "targets" (allowed: operations, agents, timeout)');
    const selector = await refused({ operations: { x: { type: 'file_exists', path: hosts() } }, agents: { site: 1 } });
    expect(selector.code).toBe('PULSE_BAD_SELECTOR');
    const timeout = await refused({ operations: { x: { type: 'file_exists', path: hosts() } }, timeout: 600 });
    expect(timeout.code).toBe('PULSE_BAD_TIMEOUT');
  });

  test('a full file of the maximum size runs every check on every agent', async () => {
    const operations = Object.fromEntries(
      Array.from({ length: MAX_OPERATION_CHECKS }, (_, i) => [`c${i}`, { type: 'file_contains', path: hosts(), check: 'localhost' }]),
    );
    const op = await run(operations, { timeout: 60 });
    expect(op.summary).toEqual({ ok: 2 * MAX_OPERATION_CHECKS, failed: 0, timeout: 0, offline: 0, running: 0 });
  });
});
