import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../client/operations.js';
import type { Fleet } from '../helpers/fleet.js';
import { type HostTree, makeHostTree, startHostFleet } from '../hub/operations-fixture.js';
import { runPulse } from './helpers/binary.js';

/** The built `pulse` binary (npm run build) submitting operations files to a real hub and fleet. */

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');

let tree: HostTree;
let fleet: Fleet;
let env: Record<string, string>;
let passing: string;
let mixed: string;

const HANDLE_LINE = /^Operation submitted\. To check progress, run: pulse get (op_[A-Za-z0-9_-]{22})$/;

beforeAll(async () => {
  tree = await makeHostTree();
  fleet = await startHostFleet(tree);
  env = { PULSE_HUB: fleet.hubUrl };
  passing = join(tree.dir, 'pass.json');
  await writeFile(
    passing,
    JSON.stringify({
      hosts_has_4488: { type: 'file_contains', path: tree.hosts, check: '4488' },
      sleeper_running: { type: 'process_running', path: tree.sleeper, check: tree.sleeperName },
    }),
  );
  // YAML as well as JSON; the README's three checks: a file that must not exist, a line, a process.
  mixed = join(tree.dir, 'ops.yml');
  await writeFile(
    mixed,
    [
      'check_virus_file_absent:',
      '  type: file_absent',
      `  path: ${tree.missing}`,
      'check_hosts_has_4488:',
      '  type: file_contains',
      `  path: ${tree.hosts}`,
      '  check: "4488"',
      'check_idle_running:',
      '  type: process_running',
      `  path: ${tree.idle}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await fleet?.close();
  await tree?.close();
});

function handleOf(stdout: string): string {
  const m = HANDLE_LINE.exec(stdout);
  if (!m) throw new Error(`no handle in ${JSON.stringify(stdout)}`);
  return m[1]!;
}

describe('pulse op and pulse get', () => {
  it('submits, prints the handle, and get --wait prints the table; all passing exits 0', async () => {
    const op = await runPulse(BIN, ['op', passing], { env });
    expect(op.stderr).toBe('');
    expect(op.exitCode).toBe(0);
    const handle = handleOf(op.stdout);
    const get = await runPulse(BIN, ['get', handle, '--wait'], { env });
    expect(get.exitCode).toBe(0);
    const lines = get.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT +CHECK +TYPE +STATUS +SUCCESS +ELAPSED +ERROR$/);
    expect(lines.slice(1, 5).map((l) => l.split(/ +/).slice(0, 5).join(' '))).toEqual([
      'a hosts_has_4488 file_contains ok true',
      'a sleeper_running process_running ok true',
      'b hosts_has_4488 file_contains ok true',
      'b sleeper_running process_running ok true',
    ]);
    expect(lines[5]).toMatch(/^Operation ended, took [0-9.]+ m?s: 4 ok, 0 failed, 0 timed out, 0 offline$/);
    expect(lines).toHaveLength(6);
    const again = await runPulse(BIN, ['get', handle], { env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trimEnd().split('\n').slice(0, 5)).toEqual(lines.slice(0, 5));
  });

  it('a YAML file with failing checks: the table gives each reason and the exit status is 1', async () => {
    const handle = handleOf((await runPulse(BIN, ['op', mixed], { env })).stdout);
    const get = await runPulse(BIN, ['get', '--wait', handle], { env });
    expect(get.exitCode).toBe(1);
    const rows = get.stdout.split('\n').filter((l) => /^[ab] /.test(l));
    expect(rows).toHaveLength(6);
    const a = rows.filter((l) => l.startsWith('a '));
    expect(a[0]).toMatch(/^a +check_virus_file_absent +file_absent +ok +true +\S+ m?s$/);
    expect(a[1]).toMatch(/^a +check_hosts_has_4488 +file_contains +ok +true +\S+ m?s$/);
    expect(a[2]).toContain(`no running process with executable ${tree.idle}`);
    expect(get.stdout).toMatch(/^Operation ended, took .*: 4 ok, 2 failed, 0 timed out, 0 offline$/m);
  });

  it('--agents selects agents and --json gives the handle, then the whole operation, for scripts', async () => {
    const op = await runPulse(BIN, ['op', passing, '--agents', 'site=nyc', '--json', '--timeout', '5'], { env });
    expect(op.exitCode).toBe(0);
    const submitted = JSON.parse(op.stdout) as { handle: string; url: string };
    expect(submitted.url).toBe(`/api/v1/operations/${submitted.handle}`);
    const get = await runPulse(BIN, ['--json', 'get', submitted.handle, '--wait'], { env });
    expect(get.exitCode).toBe(0);
    const body = JSON.parse(get.stdout) as Operation;
    expect(body.finished).toBe(true);
    expect(body.agents).toEqual({ site: 'nyc' });
    expect(body.timeout).toBe(5);
    expect(body.results.map((r) => `${r.agent}/${r.check}/${r.status}`)).toEqual(['b/hosts_has_4488/ok', 'b/sleeper_running/ok']);
  });

  it('op --wait prints the table at once; an operations file can come from standard input', async () => {
    const r = await runPulse(BIN, ['op', '--wait', '-', '--agents', 'name=a'], {
      env,
      input: JSON.stringify({ hosts: { type: 'file_exists', path: tree.hosts } }),
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^a +hosts +file_exists +ok +true /m);
    expect(r.stdout).toMatch(/^Operation ended, took .*: 1 ok, 0 failed/m);
  });

  it('a selector that matches no agent exits 1', async () => {
    const r = await runPulse(BIN, ['op', '--wait', passing, '--agents', 'site=mars'], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('No agent matched the selector.');
  });
});

describe('pulse op refusals exit 2 with the reason', () => {
  it('an invalid operations file is refused before anything is sent', async () => {
    const unknown = join(tree.dir, 'unknown.json');
    await writeFile(unknown, JSON.stringify({ x: { type: 'file_smells', path: '/etc/hosts' } }));
    const a = await runPulse(BIN, ['op', unknown], { env });
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toBe(`pulse: ${unknown}: check "x": unknown type "file_smells" (one of: file_exists, file_contains, process_running, file_absent)`);
    const nopath = join(tree.dir, 'nopath.yml');
    await writeFile(nopath, 'x:\n  type: file_contains\n  check: a\n');
    const b = await runPulse(BIN, ['op', nopath], { env });
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toContain(`${nopath}: check "x": file_contains needs "path"`);
    const broken = join(tree.dir, 'broken.json');
    await writeFile(broken, '{"x": {"type": "file_exists", "path": "/a"}, "x": {}}');
    const c = await runPulse(BIN, ['op', broken], { env });
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toBe(`pulse: ${broken}:1:46: Map keys must be unique`);
    const missing = await runPulse(BIN, ['op', join(tree.dir, 'nope.json')], { env });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('nope.json: ENOENT');
  });

  it('checks paths itself, before the hub is asked (absolute, no "..")', async () => {
    const relative = join(tree.dir, 'relative.json');
    await writeFile(relative, JSON.stringify({ x: { type: 'file_exists', path: 'etc/hosts' } }));
    const r = await runPulse(BIN, ['op', relative], { env: { ...env, PULSE_HUB: 'http://127.0.0.1:1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`pulse: ${relative}: check "x": target "etc/hosts": path must be absolute (start with "/"): "etc/hosts"`);
    const dotdot = join(tree.dir, 'dotdot.json');
    await writeFile(dotdot, JSON.stringify({ y: { type: 'process_running', path: '/usr/../bin/sh' } }));
    const d = await runPulse(BIN, ['op', dotdot], { env: { ...env, PULSE_HUB: 'http://127.0.0.1:1' } });
    expect(d.stderr).toContain('check "y": target "/usr/../bin/sh": path must not contain ".."');
  });

  it('what only the hub can judge comes back as its refusal', async () => {
    const many = join(tree.dir, 'selector.json');
    await writeFile(many, JSON.stringify({ x: { type: 'file_exists', path: '/etc/hosts' } }));
    const r = await runPulse(BIN, ['op', many, '--timeout', '100000'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('pulse: the hub refused the request:');
  });

  it('an unknown handle, and a hub that cannot be reached', async () => {
    const unknown = await runPulse(BIN, ['get', 'op_AAAAAAAAAAAAAAAAAAAAAA'], { env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no operation op_AAAAAAAAAAAAAAAAAAAAAA (unknown, or expired) (PULSE_NOT_FOUND)');
    const down = await runPulse(BIN, ['op', passing, '--hub', 'http://127.0.0.1:1'], { env });
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain('cannot reach the hub at http://127.0.0.1:1');
  });
});
