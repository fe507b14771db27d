import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinary } from '../helpers/spawn.js';

const ROOT = join(import.meta.dirname, '../..');
const UNITS = ['pulse-exporter.service', 'pulse-hub.service'];

/**
 * The one file to install: scripts/bundle.mjs, `npm pack`, `npm install -g` into an empty prefix
 * with no registry (offline), then the installed agent is started from there and probed. Nothing
 * in the prefix can reach the repository's node_modules: it lives under the system's tmpdir.
 */
describe('the npm package', () => {
  let dir: string;
  let prefix: string;
  let installed: string;
  let tcpTarget: Server;
  let targetPort: number;
  let jsonTarget: HttpServer;
  let jsonPort: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-pkg-'));
    if (!existsSync(join(ROOT, 'hub/ui/dist/index.html'))) await execa('node', [join(ROOT, 'scripts/build-ui.mjs')]);
    const pkgDir = join(dir, 'pkg');
    await execa('node', [join(ROOT, 'scripts/bundle.mjs'), '--out', pkgDir]);
    const packed = await execa('npm', ['pack', pkgDir, '--pack-destination', dir, '--json'], { cwd: dir });
    const tarball = join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
    prefix = join(dir, 'prefix');
    await mkdir(prefix);
    await execa('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: dir });
    installed = join(prefix, 'lib', 'node_modules', 'pulse');
    tcpTarget = createServer((s) => s.end());
    await new Promise<void>((resolve) => tcpTarget.listen(0, '127.0.0.1', resolve));
    targetPort = (tcpTarget.address() as { port: number }).port;
    jsonTarget = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    await new Promise<void>((resolve) => jsonTarget.listen(0, '127.0.0.1', resolve));
    jsonPort = (jsonTarget.address() as { port: number }).port;
  }, 120_000);

  afterAll(async () => {
    tcpTarget?.close();
    jsonTarget?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs the three programs with no dependencies and no node_modules', async () => {
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as { dependencies: object; bin: Record<string, string> };
    expect(manifest.dependencies).toEqual({});
    expect(Object.keys(manifest.bin).sort()).toEqual(['pulse', 'pulse-exporter', 'pulse-hub']);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    for (const bin of ['pulse', 'pulse-exporter', 'pulse-hub']) expect(existsSync(join(prefix, 'bin', bin))).toBe(true);
    expect((await readdir(join(installed, 'bin', 'ui'))).some((f) => f === 'index.html')).toBe(true);
  });

  it('runs the installed agent from the prefix and answers a probe', async () => {
    const config = join(dir, 'pulse.yml');
    // A CEL check too: its evaluator is a chunk loaded on demand, which must be in the package.
    const cel = '  http_cel:\n    prober: http\n    http:\n      fail_if_body_json_not_matches_cel: "body.ok == true"\n';
    // And a body regex: re2js's classes are among those esbuild renames (RE2 -> RE22).
    const regex = '  http_regex:\n    prober: http\n    http:\n      fail_if_body_not_matches_regexp: [\'"ok":\\s*true\']\n';
    await writeFile(config, `modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n${cel}${regex}`);
    const version = await execa(join(prefix, 'bin', 'pulse-exporter'), ['--version'], { cwd: dir });
    expect(version.stdout.trim()).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    // Through npm's bin link, as a user or the systemd unit starts it: the V8 flags on its #! line apply.
    const { proc, url } = await startBinary(join(prefix, 'bin', 'pulse-exporter'), ['--config', config, '--listen', '127.0.0.1:0'], { cwd: dir, exec: true });
    try {
      const first = (await readFile(join(installed, 'bin', 'pulse-exporter.mjs'), 'utf8')).split('\n', 1)[0]!;
      const flags = /^#!\/usr\/bin\/env -S node (--.+)$/.exec(first)?.[1]?.split(' ');
      expect(flags).toContain('--max-semi-space-size=8');
      const cmdline = (await readFile(`/proc/${proc.pid}/cmdline`, 'utf8')).split('\0');
      expect(cmdline.slice(0, 1 + flags!.length)).toEqual(['node', ...flags!]);
      const res = await fetch(`${url}/probe?module=tcp_connect&target=127.0.0.1:${targetPort}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('probe_success 1\n');
      const celProbe = await (await fetch(`${url}/probe?module=http_cel&target=http://127.0.0.1:${jsonPort}/`)).text();
      expect(celProbe).toContain('probe_failed_due_to_cel 0\n');
      expect(celProbe).toContain('probe_success 1\n');
      const regexProbe = await (await fetch(`${url}/probe?module=http_regex&target=http://127.0.0.1:${jsonPort}/`)).text();
      expect(regexProbe).toContain('probe_failed_due_to_regex 0\n');
      expect(regexProbe).toContain('probe_success 1\n');
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('pulse_exporter_probes_total{module="tcp_connect",prober="tcp",result="success"} 1');
    } finally {
      proc.kill('SIGTERM');
    }
    expect((await proc).exitCode).toBe(0);
  });

  // The bundle's prom-client is a lean entry (scripts/prom-client-lean.cjs) whose cluster
  // aggregator loads on first use: a --workers primary must still merge its workers' metrics.
  it('runs the installed agent with --workers 2 and merges the workers\' metrics', async () => {
    const config = join(dir, 'workers.yml');
    await writeFile(config, 'modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n');
    const { proc, url, output } = await startBinary(join(prefix, 'bin', 'pulse-exporter'), ['--config', config, '--listen', '127.0.0.1:0', '--workers', '2'], { cwd: dir, exec: true });
    try {
      await expect.poll(() => [...output().matchAll(/Server listening at /g)].length, { timeout: 20_000 }).toBe(2);
      for (let i = 0; i < 2; i++) expect(await (await fetch(`${url}/probe?module=tcp_connect&target=127.0.0.1:${targetPort}`)).text()).toContain('probe_success 1\n');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toContain('pulse_exporter_probes_total{module="tcp_connect",prober="tcp",result="success"} 2\n');
      expect(metrics.match(/^pulse_exporter_build_info\{/gm)).toHaveLength(1);
    } finally {
      proc.kill('SIGTERM');
    }
    expect((await proc).exitCode).toBe(0);
  });

  // The bundle keeps identifiers as written but has no esbuild keepNames (scripts/bundle.mjs):
  // the ASN.1 parser compares constructor names ("Sequence"), so its chunk must read a
  // certificate exactly as the sources do.
  it('the installed X.509 parser reads a certificate as the sources do', async () => {
    const { createTestPki } = await import('../helpers/tls.js');
    const { certInfo } = await import('../../exporter/probers/shared/cert-parse.js');
    const { X509Certificate } = await import('node:crypto');
    const pki = await createTestPki();
    try {
      const { cert } = await pki.issue('pulse.test', { hosts: ['pulse.test', '127.0.0.1'] });
      const der = new X509Certificate(cert).raw;
      const chunk = (await readdir(join(installed, 'bin', 'pulse-exporter'))).find((f) => /^cert-parse-.*\.mjs$/.test(f));
      expect(chunk).toBeDefined();
      const bundled = (await import(join(installed, 'bin', 'pulse-exporter', chunk!))) as { certInfo: typeof certInfo };
      const info = bundled.certInfo(der);
      expect(info).toEqual(certInfo(der));
      expect(info).toMatchObject({ subject: 'CN=pulse.test', dns_names: ['pulse.test'], ip_addresses: ['127.0.0.1'] });
    } finally {
      await pki.cleanup();
    }
  });

  it('the hub and the CLI bundles load and answer --help', async () => {
    for (const bin of ['pulse-hub', 'pulse']) {
      const r = await execa(join(prefix, 'bin', bin), ['--help'], { cwd: dir, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('Usage:');
    }
  });

  // systemd-analyze checks the units' syntax and that ExecStart points at an executable: the
  // installed one, as the unit expects it under /usr/local (only the prefix differs here).
  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('ships systemd units that systemd-analyze verify accepts', async () => {
    const unitDir = join(dir, 'units');
    await mkdir(unitDir);
    for (const unit of UNITS) {
      const text = await readFile(join(installed, 'deploy', 'systemd', unit), 'utf8');
      expect(text).toContain('User=pulse');
      expect(text).toContain('NoNewPrivileges=yes');
      await writeFile(join(unitDir, unit), text.replaceAll('/usr/local/bin/', `${join(prefix, 'bin')}/`));
    }
    const r = await execa('systemd-analyze', ['verify', ...UNITS.map((u) => join(unitDir, u))], { reject: false, all: true });
    expect(r.all, r.all).toBe('');
    expect(r.exitCode).toBe(0);
    const exporter = await readFile(join(unitDir, UNITS[0]!), 'utf8');
    expect(exporter).toMatch(/^AmbientCapabilities=CAP_NET_RAW$/m);
    expect(exporter).toMatch(/^CapabilityBoundingSet=CAP_NET_RAW$/m);
    expect(await readFile(join(unitDir, UNITS[1]!), 'utf8')).toMatch(/^CapabilityBoundingSet=$/m);
  });
});
