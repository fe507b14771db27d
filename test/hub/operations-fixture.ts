import { copyFile, mkdir, mkdtemp, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Operation } from '../../hub/operations/operation.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';

/**
 * A little host for werify-style checks, in a temporary folder: an etc/hosts, a private file the
 * agents may not all read, a symlink that leads out of the allowed tree, and a copy of `sleep`
 * running under its own name next to one that is not running.
 */
export interface HostTree {
  dir: string;
  hosts: string;
  missing: string;
  secret: string;
  escape: string;
  sleeper: string;
  idle: string;
  /** The running sleeper's process name (its copy's basename). */
  sleeperName: string;
  close(): Promise<void>;
}

export async function makeHostTree(): Promise<HostTree> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-ops-'));
  for (const d of ['etc', 'bin', 'private', 'outside']) await mkdir(join(dir, d));
  const hosts = join(dir, 'etc/hosts');
  await writeFile(hosts, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n192.0.2.10 db-4488.internal db\n');
  const secret = join(dir, 'private/secret');
  await writeFile(secret, 'token\n');
  await writeFile(join(dir, 'outside/file'), 'elsewhere\n');
  const escapeLink = join(dir, 'etc/escape');
  await symlink('../outside/file', escapeLink);
  // A unique name per run, so no other process on the machine can match it.
  const sleeperName = `pulse-sl-${process.pid % 100000}`;
  const sleeper = join(dir, 'bin', sleeperName);
  const idle = join(dir, 'bin/pulse-idle');
  await copyFile('/bin/sleep', sleeper);
  await copyFile('/bin/sleep', idle);
  const proc = execa(sleeper, ['600'], { reject: false, stdio: 'ignore' });
  // Started once /proc shows the copy as its executable, so checks never race the exec.
  await waitFor(async () => (await readlink(`/proc/${proc.pid}/exe`).catch(() => '')) === sleeper);
  return {
    dir,
    hosts,
    missing: join(dir, 'etc/virus.exe'),
    secret,
    escape: escapeLink,
    sleeper,
    idle,
    sleeperName,
    async close() {
      proc.kill('SIGKILL');
      await proc;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What each fleet agent may read: agent "a" also the private folder, "b" not. */
export function allowedPaths(tree: HostTree, withPrivate: boolean): string[] {
  return [`${tree.dir}/etc/**`, `${tree.dir}/bin/*`, ...(withPrivate ? [`${tree.dir}/private/**`] : [])];
}

export async function startHostFleet(tree: HostTree, hub: Record<string, unknown> = {}): Promise<Fleet> {
  return startFleet({
    agents: [
      { name: 'a', labels: { site: 'ams' }, exporter: { host_checks: { allowed_paths: allowedPaths(tree, true) } } },
      { name: 'b', labels: { site: 'nyc' }, exporter: { host_checks: { allowed_paths: allowedPaths(tree, false) } } },
    ],
    hub,
  });
}

export async function submit(base: string, body: unknown): Promise<Response> {
  return fetch(`${base}/api/v1/operations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export async function getOperation(base: string, handle: string): Promise<Operation> {
  const res = await fetch(`${base}/api/v1/operations/${handle}`);
  if (res.status !== 200) throw new Error(`GET operation: HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Operation;
}

/** Polls until the operation is finished (the hub ends it by its deadline whatever agents do). */
export async function waitFinished(base: string, handle: string, ms = 60_000): Promise<Operation> {
  let op: Operation | undefined;
  await waitFor(async () => {
    op = await getOperation(base, handle);
    return op.finished;
  }, ms);
  return op!;
}

export async function waitFor(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms}ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
