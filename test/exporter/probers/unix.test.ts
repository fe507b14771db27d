import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeProbe, type ProbeOutcome, prepareProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

/** The unix prober (blackbox 0.27+) against real Unix domain socket servers started here. */
let dir: string;
let pki: TestPki;
const servers: Server[] = [];

async function serve(server: Server, name: string): Promise<string> {
  const path = join(dir, name);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  servers.push(server);
  return path;
}

async function probe(unix: Record<string, unknown>, target: string, allowed = [`${dir}/*`]): Promise<ProbeOutcome> {
  const cfg = resolveConfig({ modules: { m: { prober: 'unix', timeout: '5s', unix } }, exporter: { host_checks: { allowed_paths: allowed } } });
  const req = { module: cfg.modules.m!, target };
  const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), cfg.exporter, req);
  return executeProbe(prober, cfg.exporter, req, timeoutSeconds, undefined);
}

let pingPath: string;
let tlsPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-i18-unix-'));
  pki = await createTestPki();
  const cert = await pki.issue('sock.test', { hosts: ['sock.test'] });
  // Answers PING with PONG, line by line, like upstream's example module expects.
  pingPath = await serve(
    createServer((s) => {
      s.on('data', (d) => {
        if (d.toString().includes('PING')) s.end('PONG\n');
      });
      s.on('error', () => {});
    }),
    'ping.sock',
  );
  tlsPath = await serve(createTlsServer({ key: cert.key, cert: cert.cert }, (s) => s.end('READY\n')), 'tls.sock');
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await pki.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('unix prober', () => {
  it('runs the query_response dialogue over the socket', async () => {
    const out = await probe({ query_response: [{ send: 'PING' }, { expect: 'PONG' }] }, pingPath);
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_failed_due_to_regex')).toBe(0);
    expect(out.metrics.get('probe_failed_due_to_bytes')).toBe(0);
    // No address to resolve: none of the resolution series tcp has.
    expect(out.metrics.get('probe_ip_protocol')).toBeUndefined();
  });

  it('fails with probe_failed_due_to_regex when the answer does not match', async () => {
    const out = await probe({ query_response: [{ send: 'PING' }, { expect: '^PANG' }] }, pingPath);
    expect(out.success).toBe(false);
    expect(out.metrics.get('probe_failed_due_to_regex')).toBe(1);
  });

  it('speaks TLS over the socket, verified against tls_config', async () => {
    const out = await probe({ tls: true, tls_config: { ca_file: pki.caFile, server_name: 'sock.test' }, query_response: [{ expect: '^READY' }] }, tlsPath);
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
  });

  it('fails a missing socket without the failure gauges, as blackbox (they come with the connection)', async () => {
    const out = await probe({}, join(dir, 'none.sock'));
    expect(out.success).toBe(false);
    expect(out.reason).toBe(`connecting to unix socket ${join(dir, 'none.sock')}: no such socket`);
    expect(out.metrics.get('probe_failed_due_to_regex')).toBeUndefined();
  });

  it('reaches only sockets under exporter.host_checks.allowed_paths', async () => {
    const out = await probe({}, pingPath, ['/nowhere/*']);
    expect(out.success).toBe(false);
    expect(out.reason).toBe(`path ${pingPath} is not under exporter.host_checks.allowed_paths`);
    const off = await probe({}, pingPath, []);
    expect(off.reason).toMatch(/^host checks are disabled on this exporter/);
  });
});
