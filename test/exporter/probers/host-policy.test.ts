import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globToRegExp, matchingGlob } from '../../../exporter/probers/shared/path-glob.js';
import { DISABLED_REASON, decidePath, hostChecksEnabled, lexicalPathError } from '../../../exporter/probers/shared/path-policy.js';
import { resolveConfig } from '../../../lib/config/load.js';
import type { ExporterSettings } from '../../../lib/config/exporter.js';

function settings(hostChecks?: Record<string, unknown>): ExporterSettings {
  return resolveConfig(hostChecks ? { exporter: { host_checks: hostChecks } } : {}).exporter;
}

describe('allowed_paths globs', () => {
  const cases: Array<[string, string, boolean]> = [
    ['/etc/hosts', '/etc/hosts', true],
    ['/etc/hosts', '/etc/hosts.allow', false],
    ['/etc/*.conf', '/etc/resolv.conf', true],
    ['/etc/*.conf', '/etc/sub/resolv.conf', false],
    ['/var/log/**', '/var/log', true],
    ['/var/log/**', '/var/log/nginx/access.log', true],
    ['/var/log/**', '/var/logs/x', false],
    ['/srv/**/current', '/srv/current', true],
    ['/srv/**/current', '/srv/a/b/current', true],
    ['/srv/**/current', '/srv/a/b/current/x', false],
    ['/opt/app?/bin', '/opt/app1/bin', true],
    ['/opt/app?/bin', '/opt/app/bin', false],
    ['/opt/[ab]*', '/opt/beta', true],
    ['/opt/[!ab]*', '/opt/beta', false],
    ['/opt/[!ab]*', '/opt/core', true],
    ['/data/file\\*', '/data/file*', true],
    ['/data/file\\*', '/data/file1', false],
    ['/a.b', '/aXb', false],
  ];
  it.each(cases)('%s vs %s → %s', (glob, path, want) => {
    expect(globToRegExp(glob).test(path)).toBe(want);
  });

  it('names the first glob that matches', () => {
    expect(matchingGlob('/etc/hosts', ['/var/**', '/etc/*'])).toBe('/etc/*');
    expect(matchingGlob('/root/x', ['/var/**', '/etc/*'])).toBeUndefined();
  });
});

describe('lexical path checks (400 before any I/O)', () => {
  it.each([
    ['etc/hosts', 'path must be absolute (start with "/"): "etc/hosts"'],
    ['./hosts', 'path must be absolute (start with "/"): "./hosts"'],
    ['/etc/../root/.ssh/id_rsa', 'path must not contain "..": "/etc/../root/.ssh/id_rsa"'],
    ['/var/log/..', 'path must not contain "..": "/var/log/.."'],
  ])('%s', (path, reason) => {
    expect(lexicalPathError(path)).toBe(reason);
  });
  it('accepts absolute paths, dots inside names included', () => {
    expect(lexicalPathError('/etc/..hidden')).toBeUndefined();
    expect(lexicalPathError('/')).toBeUndefined();
  });
});

describe('enabling host checks', () => {
  it('is off by default, on with paths, on with enabled: true, off with enabled: false', () => {
    expect(hostChecksEnabled(settings())).toBe(false);
    expect(hostChecksEnabled(settings({}))).toBe(false);
    expect(hostChecksEnabled(settings({ allowed_paths: ['/etc/hosts'] }))).toBe(true);
    expect(hostChecksEnabled(settings({ enabled: true }))).toBe(true);
    expect(hostChecksEnabled(settings({ enabled: false, allowed_paths: ['/etc/hosts'] }))).toBe(false);
  });
  it('refuses relative globs in the config', () => {
    expect(() => resolveConfig({ exporter: { host_checks: { allowed_paths: ['etc/*'] } } })).toThrow('exporter.host_checks.allowed_paths[0]: must match ^/');
  });
});

describe('decidePath on a real tree', () => {
  let root: string;
  let allowed: string;
  let outside: string;

  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'pulse-host-policy-')));
    allowed = join(root, 'allowed');
    outside = join(root, 'outside');
    await mkdir(join(allowed, 'sub'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(allowed, 'sub', 'ok.txt'), 'x\n');
    await writeFile(join(outside, 'secret.txt'), 'top secret\n');
    await symlink(join(outside, 'secret.txt'), join(allowed, 'escape.txt'));
    await symlink(outside, join(allowed, 'escape-dir'));
    await symlink(join(allowed, 'sub', 'ok.txt'), join(allowed, 'inside-link.txt'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const s = () => settings({ allowed_paths: [`${allowed}/**`] });

  it('allows a file under the glob and resolves it', async () => {
    expect(await decidePath(`${allowed}//sub/./ok.txt`, s())).toEqual({ ok: true, path: `${allowed}/sub/ok.txt`, resolved: `${allowed}/sub/ok.txt` });
  });

  it('allows a symlink that stays inside', async () => {
    expect(await decidePath(`${allowed}/inside-link.txt`, s())).toMatchObject({ ok: true, resolved: `${allowed}/sub/ok.txt` });
  });

  it('allows a missing file (file_exists must be able to say "no")', async () => {
    expect(await decidePath(`${allowed}/missing/file`, s())).toMatchObject({ ok: true, resolved: `${allowed}/missing/file` });
  });

  it('refuses a path outside the globs', async () => {
    expect(await decidePath(`${outside}/secret.txt`, s())).toEqual({
      ok: false,
      reason: `path ${outside}/secret.txt is not under exporter.host_checks.allowed_paths`,
    });
  });

  it('refuses a symlink escaping the allowed tree', async () => {
    expect(await decidePath(`${allowed}/escape.txt`, s())).toEqual({
      ok: false,
      reason: `path ${allowed}/escape.txt resolves to ${outside}/secret.txt (through a symlink), which is not under exporter.host_checks.allowed_paths`,
    });
  });

  it('refuses a missing file behind a symlinked directory that leads out', async () => {
    expect(await decidePath(`${allowed}/escape-dir/nothing-here`, s())).toMatchObject({ ok: false, reason: expect.stringContaining(`resolves to ${outside}/nothing-here`) });
  });

  it('refuses relative paths and .. even when they would land inside', async () => {
    expect(await decidePath('allowed/sub/ok.txt', s())).toMatchObject({ ok: false, reason: expect.stringContaining('must be absolute') });
    expect(await decidePath(`${allowed}/sub/../sub/ok.txt`, s())).toMatchObject({ ok: false, reason: expect.stringContaining('must not contain ".."') });
  });

  it('refuses everything while host checks are off', async () => {
    expect(await decidePath(`${allowed}/sub/ok.txt`, settings())).toEqual({ ok: false, reason: DISABLED_REASON });
    expect(await decidePath(`${allowed}/sub/ok.txt`, settings({ enabled: false, allowed_paths: [`${allowed}/**`] }))).toEqual({ ok: false, reason: DISABLED_REASON });
  });
});
