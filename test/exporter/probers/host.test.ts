import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeProbe, type ProbeOutcome, prepareProbe } from '../../../exporter/probe.js';
import { MAX_LINE_BYTES } from '../../../exporter/probers/host/lines.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { resolveConfig } from '../../../lib/config/load.js';
import type { ResolvedConfig } from '../../../lib/config/schema.js';
import { createTestPki, type IssuedCert, type TestPki } from '../../helpers/tls.js';
import { promtoolCheck } from './tcp-helpers.js';

let root: string;
let allowed: string;
let outside: string;
let sleeper: ChildProcess;
let sleepExe: string;
const SLEEP_NAME = 'pulse-sleep-test'; // 16 bytes: the kernel's comm keeps 15
// CRLF on one line, no newline after the last: both still count as lines.
const HOSTS = '127.0.0.1 localhost\r\n10.0.0.1 db-4488.internal\n# 4488 again\nlast line 4488';

async function probe(config: ResolvedConfig, type: 'file_exists' | 'file_contains' | 'process_running', target: string, options: Record<string, unknown> = {}): Promise<ProbeOutcome> {
  const cfg = resolveConfig({ modules: { m: { prober: type, [type]: options } }, exporter: config.exporter });
  const req = { moduleName: 'm', module: cfg.modules.m!, target };
  const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), cfg.exporter, req);
  return executeProbe(prober, cfg.exporter, req, timeoutSeconds, undefined);
}

const enabled = (): ResolvedConfig => resolveConfig({ exporter: { host_checks: { allowed_paths: [`${allowed}/**`, '/usr/bin/*'] } } });

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'pulse-host-')));
  allowed = join(root, 'allowed');
  outside = join(root, 'outside');
  await mkdir(join(allowed, 'bin'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(allowed, 'hosts'), HOSTS);
  await writeFile(join(outside, 'secret'), 'password=4488\n');
  await symlink(join(outside, 'secret'), join(allowed, 'escape'));
  await mkdir(join(allowed, 'dir'));
  sleepExe = join(allowed, 'bin', SLEEP_NAME);
  await copyFile('/usr/bin/sleep', sleepExe);
  await chmod(sleepExe, 0o755);
  await symlink(sleepExe, join(allowed, 'bin', 'sleep-link'));
  await copyFile('/usr/bin/sleep', join(allowed, 'bin', 'never-started'));
  sleeper = spawn(sleepExe, ['600'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    sleeper.once('spawn', () => resolve());
    sleeper.once('error', reject);
  });
});

afterAll(async () => {
  if (sleeper?.pid !== undefined && sleeper.exitCode === null) {
    const exited = new Promise((r) => sleeper.once('exit', r));
    sleeper.kill('SIGTERM');
    await exited;
  }
  await rm(root, { recursive: true, force: true });
});

describe('file_exists', () => {
  it('passes for a file and a directory, with size and mtime', async () => {
    const o = await probe(enabled(), 'file_exists', `${allowed}/hosts`);
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_host_file_exists')).toBe(1);
    expect(o.metrics.get('probe_host_file_size_bytes')).toBe(Buffer.byteLength(HOSTS));
    expect(o.details).toMatchObject({ path: `${allowed}/hosts`, exists: true, type: 'file', size_bytes: Buffer.byteLength(HOSTS) });
    const dir = await probe(enabled(), 'file_exists', `${allowed}/dir`);
    expect(dir.success).toBe(true);
    expect(dir.details.type).toBe('directory');
  });

  it('fails for a missing file, saying so', async () => {
    const o = await probe(enabled(), 'file_exists', `${allowed}/virus.exe`);
    expect(o.success).toBe(false);
    expect(o.reason).toBe(`${allowed}/virus.exe does not exist`);
    expect(o.metrics.get('probe_host_file_exists')).toBe(0);
  });

  it('refuses a path outside allowed_paths and a symlink escaping them', async () => {
    const out = await probe(enabled(), 'file_exists', `${outside}/secret`);
    expect(out.success).toBe(false);
    expect(out.reason).toBe(`path ${outside}/secret is not under exporter.host_checks.allowed_paths`);
    expect(out.metrics.has('probe_host_file_exists')).toBe(false);
    const esc = await probe(enabled(), 'file_exists', `${allowed}/escape`);
    expect(esc.success).toBe(false);
    expect(esc.reason).toBe(`path ${allowed}/escape resolves to ${outside}/secret (through a symlink), which is not under exporter.host_checks.allowed_paths`);
  });

  it('is refused while host checks are not enabled', async () => {
    const o = await probe(resolveConfig({}), 'file_exists', `${allowed}/hosts`);
    expect(o.success).toBe(false);
    expect(o.reason).toMatch(/^host checks are disabled on this exporter/);
  });
});

describe('file_contains', () => {
  it('counts matching lines for a substring, never returning content', async () => {
    const o = await probe(enabled(), 'file_contains', `${allowed}/hosts`, { check: '4488' });
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_host_file_matching_lines')).toBe(3);
    expect(o.metrics.get('probe_host_file_lines')).toBe(4);
    expect(o.details).toEqual({ path: `${allowed}/hosts`, exists: true, lines: 4, matching_lines: 3, first_matching_line_number: 2 });
    expect(JSON.stringify(o)).not.toContain('db-4488');
  });

  it('matches a Go-syntax regexp line by line', async () => {
    const o = await probe(enabled(), 'file_contains', `${allowed}/hosts`, { regexp: '(?i)^127\\.0\\.0\\.1\\s+LOCALHOST$' });
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_host_file_matching_lines')).toBe(1);
  });

  it('fails when no line matches, and when the file is missing', async () => {
    const none = await probe(enabled(), 'file_contains', `${allowed}/hosts`, { check: '9999' });
    expect(none.success).toBe(false);
    expect(none.reason).toBe(`no line of ${allowed}/hosts contains "9999"`);
    expect(none.metrics.get('probe_host_file_matching_lines')).toBe(0);
    const missing = await probe(enabled(), 'file_contains', `${allowed}/nope`, { check: 'x' });
    expect(missing.success).toBe(false);
    expect(missing.reason).toBe(`${allowed}/nope does not exist`);
    expect(missing.metrics.get('probe_host_file_exists')).toBe(0);
  });

  it('fails on a line too long to be text instead of holding it in memory', async () => {
    await writeFile(join(allowed, 'blob'), Buffer.alloc(MAX_LINE_BYTES + 10, 0x61));
    const o = await probe(enabled(), 'file_contains', `${allowed}/blob`, { check: 'b' });
    expect(o.success).toBe(false);
    expect(o.reason).toBe(`reading ${allowed}/blob: line 1 is longer than ${MAX_LINE_BYTES} bytes`);
  });

  it('does not read a directory, nor through a symlink escape', async () => {
    const dir = await probe(enabled(), 'file_contains', `${allowed}/dir`, { check: 'x' });
    expect(dir.reason).toBe(`${allowed}/dir is not a regular file`);
    const esc = await probe(enabled(), 'file_contains', `${allowed}/escape`, { check: '4488' });
    expect(esc.success).toBe(false);
    expect(esc.reason).toMatch(/resolves to .*\/outside\/secret \(through a symlink\)/);
    expect(esc.metrics.has('probe_host_file_matching_lines')).toBe(false);
  });
});

describe('process_running', () => {
  it('finds a running process by executable path, with its pid', async () => {
    const o = await probe(enabled(), 'process_running', sleepExe);
    expect(o.success, o.reason).toBe(true);
    expect(o.metrics.get('probe_host_processes_matching')).toBe(1);
    expect(o.details.processes).toEqual([{ pid: sleeper.pid, name: 'pulse-sleep-tes', exe: sleepExe }]);
  });

  it('follows a symlinked executable path to the real binary', async () => {
    const o = await probe(enabled(), 'process_running', `${allowed}/bin/sleep-link`);
    expect(o.success, o.reason).toBe(true);
    expect(o.details.resolved).toBe(sleepExe);
  });

  it('finds it by name (target) and by path plus werify check', async () => {
    const byName = await probe(enabled(), 'process_running', SLEEP_NAME);
    expect(byName.success, byName.reason).toBe(true);
    expect((byName.details.processes as Array<{ pid: number }>).map((p) => p.pid)).toContain(sleeper.pid);
    const both = await probe(enabled(), 'process_running', sleepExe, { check: SLEEP_NAME });
    expect(both.success, both.reason).toBe(true);
    const wrongName = await probe(enabled(), 'process_running', sleepExe, { check: 'nginx' });
    expect(wrongName.success).toBe(false);
    // (a hint about unreadable executables may follow, depending on the host's other processes)
    expect(wrongName.reason?.startsWith(`no running process with executable ${sleepExe} and name nginx`)).toBe(true);
  });

  it('fails for a binary that is not running', async () => {
    const o = await probe(enabled(), 'process_running', `${allowed}/bin/never-started`);
    expect(o.success).toBe(false);
    expect(o.metrics.get('probe_host_processes_matching')).toBe(0);
    expect(o.reason).toMatch(new RegExp(`^no running process with executable ${allowed}/bin/never-started`));
  });

  it('allows name checks with enabled: true and no paths, but no path checks', async () => {
    const cfg = resolveConfig({ exporter: { host_checks: { enabled: true } } });
    expect((await probe(cfg, 'process_running', SLEEP_NAME)).success).toBe(true);
    const path = await probe(cfg, 'process_running', sleepExe);
    expect(path.reason).toBe(`path ${sleepExe} is not under exporter.host_checks.allowed_paths`);
    const off = await probe(resolveConfig({}), 'process_running', SLEEP_NAME);
    expect(off.reason).toMatch(/^host checks are disabled/);
  });

  it('refuses an executable path outside allowed_paths', async () => {
    const o = await probe(enabled(), 'process_running', '/usr/sbin/sshd');
    expect(o.success).toBe(false);
    expect(o.reason).toBe('path /usr/sbin/sshd is not under exporter.host_checks.allowed_paths');
  });
});

describe('host checks over HTTP', () => {
  let pki: TestPki;
  let hub: IssuedCert;
  let exporter: Exporter;
  let port: number;

  beforeAll(async () => {
    pki = await createTestPki();
    const server = await pki.issue('exporter', { usage: 'server' });
    hub = await pki.issue('hub', { usage: 'client' });
    const config = resolveConfig({
      modules: {
        hosts_4488: { prober: 'file_contains', file_contains: { check: '4488' } },
        file_exists: { prober: 'file_exists' },
        process_running: { prober: 'process_running' },
      },
      exporter: {
        tls: { cert_file: server.certFile, key_file: server.keyFile, client_ca_file: pki.caFile },
        host_checks: { allowed_paths: [`${allowed}/**`] },
      },
    });
    exporter = await buildExporter({ config });
    await exporter.app.listen({ host: '127.0.0.1', port: 0 });
    port = (exporter.app.server.address() as { port: number }).port;
  }, 60_000);

  afterAll(async () => {
    await exporter?.app.close();
    await pki?.cleanup();
  });

  function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method, path, ca: pki.ca, cert: hub.cert, key: hub.key, servername: 'localhost', headers: body ? { 'content-type': 'application/json' } : {} },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            text += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body ? JSON.stringify(body) : undefined);
    });
  }

  it('answers werify-style ad-hoc checks on /api/v1/run', async () => {
    const contains = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_contains', target: `${allowed}/hosts`, options: { check: '4488' } });
    expect(contains.status).toBe(200);
    expect(JSON.parse(contains.text)).toMatchObject({ type: 'file_contains', success: true, metrics: { probe_host_file_matching_lines: 3 }, details: { matching_lines: 3 } });
    const exists = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_exists', target: `${allowed}/virus.exe` });
    expect(JSON.parse(exists.text)).toMatchObject({ success: false, reason: `${allowed}/virus.exe does not exist` });
    const proc = await call('POST', '/api/v1/run', { protocol: 1, type: 'process_running', target: sleepExe, options: { check: SLEEP_NAME } });
    expect(JSON.parse(proc.text)).toMatchObject({ success: true, metrics: { probe_host_processes_matching: 1 } });
  });

  it('refuses module names that are Object properties and hides credentials of the target', async () => {
    for (const module of ['constructor', '__proto__', 'toString']) {
      const res = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_exists', module, target: `${allowed}/hosts` });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.message).toBe(`Unknown module "${module}"`);
    }
    const withCredentials = await call('POST', '/api/v1/run', { protocol: 1, type: 'http', target: 'http://alice:s3cret@127.0.0.1:1/' });
    expect(withCredentials.status).toBe(200);
    expect(withCredentials.text).not.toContain('s3cret');
    expect(JSON.parse(withCredentials.text).target).toBe('http://<secret>@127.0.0.1:1/');
  });

  it('answers 400 for bad ad-hoc options and targets', async () => {
    const neither = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_contains', target: `${allowed}/hosts`, options: {} });
    expect(neither.status).toBe(400);
    expect(JSON.parse(neither.text).error.message).toBe('options: file_contains needs exactly one of the options check (a substring) or regexp');
    const unknown = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_contains', target: `${allowed}/hosts`, options: { path: '/x' } });
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.text).error.message).toBe('options.path: unknown key');
    const relative = await call('POST', '/api/v1/run', { protocol: 1, type: 'file_exists', target: 'etc/hosts' });
    expect(relative.status).toBe(400);
    expect(JSON.parse(relative.text).error.message).toBe('path must be absolute (start with "/"): "etc/hosts"');
  });

  it.each([
    ['file_exists', 'etc/hosts', 'path must be absolute (start with "/"): "etc/hosts"'],
    ['file_exists', '/etc/../etc/shadow', 'path must not contain "..": "/etc/../etc/shadow"'],
    ['hosts_4488', 'hosts', 'path must be absolute (start with "/"): "hosts"'],
    ['process_running', 'sbin/sshd', 'target must be an absolute executable path or a process name without "/": "sbin/sshd"'],
  ])('/probe?module=%s&target=%s → 400', async (module, target, reason) => {
    const res = await call('GET', `/probe?module=${module}&target=${encodeURIComponent(target)}`);
    expect(res.status).toBe(400);
    expect(res.text).toBe(`${reason}\n`);
  });

  it('scrapes with metrics promtool accepts', async () => {
    for (const [module, target] of [
      ['hosts_4488', `${allowed}/hosts`],
      ['file_exists', `${allowed}/hosts`],
      ['process_running', sleepExe],
      ['file_exists', `${outside}/secret`],
    ] as const) {
      const res = await call('GET', `/probe?module=${module}&target=${encodeURIComponent(target)}`);
      expect(res.status).toBe(200);
      const check = await promtoolCheck(res.text);
      expect(check.exitCode, `${module}: ${check.output}`).toBe(0);
      expect(check.output).toBe('');
    }
    const ok = await call('GET', `/probe?module=hosts_4488&target=${encodeURIComponent(`${allowed}/hosts`)}`);
    expect(ok.text).toMatch(/^probe_host_file_matching_lines 3$/m);
    expect(ok.text).toMatch(/^probe_success 1$/m);
    const refused = await call('GET', `/probe?module=file_exists&target=${encodeURIComponent(`${outside}/secret`)}`);
    expect(refused.text).toMatch(/^probe_success 0$/m);
  });
});
