import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeProbe, prepareProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { type DnsTestServer, startDnsServer, zone } from '../../helpers/dns-server.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

let pki: TestPki;
let server: DnsTestServer;

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue('dot', { hosts: ['dns.test', '127.0.0.1'], usage: 'server' });
  server = await startDnsServer({
    tls: { cert: cert.cert, key: cert.key },
    handler: zone([{ type: 'A', name: 'example.org', ttl: 60, data: '192.0.2.7' }]),
  });
});

afterAll(async () => {
  await server?.close();
  await pki?.cleanup();
});

async function probe(target: string, dns: Record<string, unknown>) {
  const config = resolveConfig({ modules: { m: { prober: 'dns', timeout: '5s', dns } } });
  const req = { moduleName: 'm', module: config.modules.m!, target };
  const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), config.exporter, req);
  return executeProbe(prober, config.exporter, req, timeoutSeconds, undefined);
}

describe('DNS over TLS', () => {
  const dot = { query_name: 'example.org', query_type: 'A', transport_protocol: 'tcp', dns_over_tls: true };

  it('queries over TLS, verifying the certificate against tls_config.ca_file and the target IP', async () => {
    const from = server.queries.length;
    const out = await probe(`127.0.0.1:${server.tlsPort}`, { ...dot, tls_config: { ca_file: pki.caFile } });
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    expect(out.details).toMatchObject({ resolver: { transport: 'tcp-tls' }, answer: [{ data: '192.0.2.7' }] });
    expect(server.queries.slice(from).map((q) => q.transport)).toEqual(['tls']);
  });

  it('checks tls_config.server_name when given', async () => {
    const ok = await probe(`127.0.0.1:${server.tlsPort}`, { ...dot, tls_config: { ca_file: pki.caFile, server_name: 'dns.test' } });
    expect(ok.success).toBe(true);
    const wrong = await probe(`127.0.0.1:${server.tlsPort}`, { ...dot, tls_config: { ca_file: pki.caFile, server_name: 'other.test' } });
    expect(wrong.success).toBe(false);
    expect(wrong.reason).toMatch(/^TLS: .*other\.test/);
    expect(wrong.metrics.get('probe_dns_query_succeeded')).toBe(0);
  });

  it('reports an unreadable tls_config file as the reason', async () => {
    const out = await probe(`127.0.0.1:${server.tlsPort}`, { ...dot, tls_config: { ca_file: `${pki.dir}/missing.crt` } });
    expect(out.success).toBe(false);
    expect(out.reason).toMatch(/^tls_config.ca_file: cannot read .*missing.crt: ENOENT$/);
  });

  it('fails on an untrusted certificate unless insecure_skip_verify is set', async () => {
    const untrusted = await probe(`127.0.0.1:${server.tlsPort}`, dot);
    expect(untrusted.success).toBe(false);
    expect(untrusted.reason).toMatch(/^TLS: /);
    const skipped = await probe(`127.0.0.1:${server.tlsPort}`, { ...dot, tls_config: { insecure_skip_verify: true } });
    expect(skipped.success).toBe(true);
  });
});
