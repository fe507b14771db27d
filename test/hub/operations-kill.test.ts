import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueFiles } from '../../lib/pki.js';
import type { Fleet } from '../helpers/fleet.js';
import { type PulseProcess, startBinary } from '../helpers/spawn.js';
import { allowedPaths, getOperation, type HostTree, makeHostTree, startHostFleet, submit, waitFinished, waitFor } from './operations-fixture.js';

/**
 * A third exporter runs as its own process (the built binary), so the test can freeze it
 * (SIGSTOP: a hung agent) and kill it (SIGKILL) while an operation waits for it.
 */

const BIN = join(import.meta.dirname, '../../dist/exporter/main.js');

let tree: HostTree;
let fleet: Fleet;
let proc: PulseProcess | undefined;

beforeAll(async () => {
  tree = await makeHostTree();
  // Long enough that the frozen agent stays "active": the hub must call it and wait.
  fleet = await startHostFleet(tree, { agent_inactive_after: '120s' });
  const files = await issueFiles(fleet.certDir, { kind: 'agent', name: 'c', hosts: ['127.0.0.1'] });
  const config = join(fleet.dir, 'c.yml');
  const exporter = {
    listen: '127.0.0.1:0',
    labels: { site: 'fra' },
    tls: { cert_file: files.certFile, key_file: files.keyFile, client_ca_file: fleet.caFile },
    hub: { url: fleet.agentUrl, ca_file: fleet.caFile, cert_file: files.certFile, key_file: files.keyFile, heartbeat_interval: '1s' },
    host_checks: { allowed_paths: allowedPaths(tree, true) },
  };
  await writeFile(config, JSON.stringify({ exporter }));
  ({ proc } = await startBinary(BIN, ['--config', config], { match: /Server listening at (https:\/\/\S+?)"/ }));
  await fleet.waitActive(['c']);
});

afterAll(async () => {
  // A no-op once the test has killed it; otherwise (a failed test) the frozen process must not stay.
  proc?.kill('SIGKILL');
  await proc;
  await fleet?.close();
  await tree?.close();
});

const checks = () => ({
  hosts_has_4488: { type: 'file_contains', path: tree.hosts, check: '4488' },
  sleeper_running: { type: 'process_running', check: tree.sleeperName },
});

async function start(timeout: number): Promise<string> {
  const res = await submit(fleet.hubUrl, { operations: checks(), timeout });
  expect(res.status).toBe(202);
  return ((await res.json()) as { handle: string }).handle;
}

describe('agents that stop answering during an operation', () => {
  test('the live agent answers all checks first', async () => {
    const handle = await start(10);
    const op = await waitFinished(fleet.hubUrl, handle);
    expect(op.summary).toEqual({ ok: 6, failed: 0, timeout: 0, offline: 0, running: 0 });
  });

  test('a frozen agent is listed as timed out, and the operation still finishes', async () => {
    proc!.kill('SIGSTOP');
    const handle = await start(4);
    const op = await waitFinished(fleet.hubUrl, handle);
    expect(op.finished).toBe(true);
    expect(op.summary).toEqual({ ok: 4, failed: 0, timeout: 2, offline: 0, running: 0 });
    for (const r of op.results.filter((x) => x.agent === 'c')) {
      expect(r).toMatchObject({ status: 'timeout', finished: true, success: false, error: 'no answer within 4s', result: null });
      expect(r.elapsed_seconds).not.toBeNull();
    }
  });

  test('an agent killed while the operation waits for it is listed as offline, and the operation finishes', async () => {
    // Still frozen from the test before: the operation cannot end until the kill.
    const handle = await start(60);
    await waitFor(async () => {
      const op = await getOperation(fleet.hubUrl, handle);
      return op.results.filter((r) => r.agent !== 'c').every((r) => r.finished);
    });
    const during = await getOperation(fleet.hubUrl, handle);
    expect(during.status).toBe('running');
    expect(during.finished).toBe(false);
    expect(during.finished_at).toBeNull();
    expect(during.summary).toEqual({ ok: 4, failed: 0, timeout: 0, offline: 0, running: 2 });
    for (const r of during.results.filter((x) => x.agent === 'c')) {
      expect(r).toMatchObject({ status: 'running', finished: false, success: false, elapsed_seconds: null });
    }

    proc!.kill('SIGKILL');
    await proc;
    const op = await waitFinished(fleet.hubUrl, handle);
    expect(op.finished).toBe(true);
    expect(op.summary).toEqual({ ok: 4, failed: 0, timeout: 0, offline: 2, running: 0 });
    for (const r of op.results.filter((x) => x.agent === 'c')) {
      expect(r.status).toBe('offline');
      expect(r.error).toMatch(/^agent unreachable: /);
    }
  });
});
