import { ServerCredentials } from '@grpc/grpc-js';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../client/api.js';
import { dnsQuestion, dnsRcode, dnsRecords, httpHeaders, mtrHops, tlsCertificate, tlsVerified, tlsVersion } from '../../client/details.js';
import { connectedAsn } from '../../client/asn.js';
import { burstAttempts, burstHistogram, formatEndpoint, pingFigures, socketList, tcpConnection } from '../../client/details-sockets.js';
import type { ProbeOutcome } from '../../exporter/probe.js';
import { annotate } from '../../hub/asn/enrich.js';
import { metricsAsJson } from '../../exporter/json.js';
import { BUILTIN_PROBERS } from '../../lib/probers/builtin.js';
import { type HealthServer, startHealthServer } from '../helpers/grpc-health.js';
import { type DnsTestServer, EXAMPLE_SOA, startDnsServer, zone } from '../helpers/dns-server.js';
import { runModule } from '../helpers/http-probe.js';
import { startServer, type TestServer } from '../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';

/**
 * The readers (client/details.ts) on what the real probers write: each result is checked
 * against its prober's details schema (lib/probers/details/), then read as the CLI and the page
 * read it. Hand-written rows would let a reader look for a key no prober writes.
 */
// Each prober's own declaration: what the registry says its details are.
const DnsDetails = BUILTIN_PROBERS.dns.details;
const HttpDetails = BUILTIN_PROBERS.http.details;
const MtrDetails = BUILTIN_PROBERS.mtr.details;

function asRow(o: ProbeOutcome): RunResult {
  // Through JSON, as the hub relays it.
  return JSON.parse(
    JSON.stringify({
      protocol: 1,
      type: o.prober,
      target: o.target,
      success: o.success,
      duration_seconds: o.durationSeconds,
      timeout_seconds: o.timeoutSeconds,
      metrics: metricsAsJson(o.metrics),
      details: o.details,
      logs: [],
    }),
  ) as RunResult;
}

describe('readers on real dns output', () => {
  let dns: DnsTestServer;
  beforeAll(async () => {
    dns = await startDnsServer({
      handler: zone(
        [
          { type: 'A', name: 'www.example.org', ttl: 300, data: '192.0.2.1' },
          { type: 'A', name: 'www.example.org', ttl: 300, data: '192.0.2.2' },
          { type: 'TXT', name: 'www.example.org', ttl: 60, data: ['v=spf1 -all', 'two words'] },
          EXAMPLE_SOA,
        ],
        { soa: EXAMPLE_SOA },
      ),
    });
  });
  afterAll(() => dns.close());

  it('A records: the name and type asked, the rcode, each address', async () => {
    const r = asRow(await runModule('dns', { query_name: 'www.example.org', query_type: 'A' }, dns.target));
    expect(Value.Errors(DnsDetails, r.details)).toEqual([]);
    expect(dnsQuestion(r)).toBe('www.example.org. A');
    expect(dnsRcode(r)).toBe('NOERROR');
    // The hub marks the resolver asked with its network; the readers find it there.
    const marked = annotate(r.details, new Map([['127.0.0.1', { asn: 'AS64500', as_name: 'TEST-NET' }]]));
    expect(connectedAsn(marked)).toEqual({ number: 64500, name: 'TEST-NET' });
    expect(dnsRecords(r).map((x) => [x.section, x.type, x.ttl, x.data])).toEqual([
      ['answer', 'A', 300, '192.0.2.1'],
      ['answer', 'A', 300, '192.0.2.2'],
    ]);
  });

  it('TXT strings and an SOA in the authority section read as text, not JSON', async () => {
    const txt = asRow(await runModule('dns', { query_name: 'www.example.org', query_type: 'TXT' }, dns.target));
    expect(Value.Errors(DnsDetails, txt.details)).toEqual([]);
    expect(dnsRecords(txt).map((x) => x.data)).toEqual(['"v=spf1 -all" "two words"']);
    const none = asRow(await runModule('dns', { query_name: 'nope.example.org', query_type: 'A' }, dns.target));
    expect(Value.Errors(DnsDetails, none.details)).toEqual([]);
    expect(dnsRcode(none)).toBe('NXDOMAIN');
    const soa = dnsRecords(none).find((x) => x.section === 'authority');
    expect(soa?.type).toBe('SOA');
    expect(soa?.data).toMatch(/^ns1\.example\.org\.? hostmaster\.example\.org\.? 2024010101 3600 900 604800 300$/);
  });
});

describe('readers on real http output', () => {
  let pki: TestPki;
  let site: TestServer;
  beforeAll(async () => {
    pki = await createTestPki();
    const cert = await pki.issue('site', { hosts: ['127.0.0.1'] });
    site = await startServer(
      (_req, res) => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.setHeader('content-type', 'text/plain');
        res.end('hello');
      },
      { tls: { cert: cert.cert, key: cert.key } },
    );
  });
  afterAll(async () => {
    await site?.close();
    await pki?.cleanup();
  });

  it('headers once per value, and the certificate of a chain that did not verify', async () => {
    const r = asRow(await runModule('http', { tls_config: { insecure_skip_verify: true } }, `${site.origin}/`));
    expect(r.success).toBe(true);
    expect(Value.Errors(HttpDetails, r.details)).toEqual([]);
    const headers = httpHeaders(r);
    expect(headers).toContainEqual(['set-cookie', 'a=1']);
    expect(headers).toContainEqual(['set-cookie', 'b=2']);
    expect(headers).toContainEqual(['content-type', 'text/plain']);
    expect(tlsCertificate(r)?.subject).toContain('CN=site');
    expect(tlsVerified(r)).toMatch(/^no/);
    expect(tlsVersion(r)).toMatch(/^TLS 1\.[23]$/);
  });
});

describe('readers on real mtr output', () => {
  it('hops in seconds and ratios, from mtr itself on loopback', async () => {
    const r = asRow(await runModule('mtr', { packets: 2, interval: '1s' }, '127.0.0.1', '10s'));
    expect(Value.Errors(MtrDetails, r.details)).toEqual([]);
    const [hop] = mtrHops(r);
    expect(hop).toMatchObject({ hop: 1, ip: '127.0.0.1', loss: 0, sent: 2 });
    expect(hop?.avg).toBeGreaterThan(0);
    expect(hop?.worst).toBeGreaterThanOrEqual(hop?.best ?? 0);
  }, 20_000);
});

/** Checks a real result against the schema its prober declares in the registry, then hands it on. */
function checked(type: keyof typeof BUILTIN_PROBERS, o: ProbeOutcome): RunResult {
  const r = asRow(o);
  const schema = (BUILTIN_PROBERS[type] as { details?: TSchema }).details;
  expect(schema, `${type} declares its details`).toBeDefined();
  expect(Value.Errors(schema!, r.details)).toEqual([]);
  return r;
}

describe('the registry', () => {
  it('every built-in prober declares the schema of its details', () => {
    const without = Object.entries(BUILTIN_PROBERS).filter(([, spec]) => !(spec as { details?: TSchema }).details);
    expect(without.map(([name]) => name)).toEqual([]);
  });
});

describe('readers on real icmp output', () => {
  it('counts, loss and RTTs of a ping to 127.0.0.1', async (t) => {
    const o = await runModule('icmp', { packets: 2, interval: '0.2s' }, '127.0.0.1', '5s');
    // ping needs CAP_NET_RAW or a group in net.ipv4.ping_group_range; without either there is no output to read.
    if (!o.success && /ping_group_range|not permitted|permission/i.test(o.reason ?? '')) t.skip(`ping may not run here: ${o.reason}`);
    const r = checked('icmp', o);
    expect(pingFigures(r)).toMatchObject({ address: '127.0.0.1', sent: 2, received: 2, loss: 0, errors: [] });
    expect(pingFigures(r)?.avg).toBeGreaterThan(0);
  });
});

describe('readers on real tcp, burst and sockets output', () => {
  let pki: TestPki;
  let plain: NetServer;
  let secure: TlsServer;
  const listen = async (s: NetServer): Promise<number> => {
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return (s.address() as AddressInfo).port;
  };
  let plainPort: number;
  let securePort: number;
  beforeAll(async () => {
    pki = await createTestPki();
    const cert = await pki.issue('mail', { hosts: ['127.0.0.1'] });
    // Pings and bursts close their connections at once: the resets are expected, not errors.
    plain = createNetServer((s) => s.on('error', () => {}).end('220 mail.test ESMTP\r\n'));
    secure = createTlsServer({ key: cert.key, cert: cert.cert }, (s) => s.on('error', () => {}).end('220 secure ready\r\n'));
    plainPort = await listen(plain);
    securePort = await listen(secure);
  });
  afterAll(async () => {
    plain?.close();
    secure?.close();
    await pki?.cleanup();
  });

  it('tcp: the connection, the banner, and the certificate of TLS at connect', async () => {
    const r = checked('tcp', await runModule('tcp', { tls: true, tls_config: { insecure_skip_verify: true }, query_response: [{ expect: '^220' }] }, `127.0.0.1:${securePort}`));
    expect(r.success).toBe(true);
    expect(tcpConnection(r)).toMatchObject({ remote: `127.0.0.1:${securePort}`, banner: '220 secure ready', tlsVia: 'connect', steps: 1 });
    expect(tcpConnection(r)?.local).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(tlsCertificate(r)?.subject).toContain('CN=mail');
    expect(tlsVerified(r)).toMatch(/^no/);
  });

  it('tcp ping: no connection facts, the ping figures are metrics', async () => {
    const r = checked('tcp', await runModule('tcp', { packets: 2, interval: '0.1s' }, `127.0.0.1:${plainPort}`));
    expect(r.success).toBe(true);
    expect(tcpConnection(r)).toBeUndefined();
  });

  it('burst: the histogram holds every attempt, the attempts are listed', async () => {
    const r = checked('burst', await runModule('burst', { connections: 5, concurrency: 5 }, `127.0.0.1:${plainPort}`));
    expect(r.success).toBe(true);
    expect(burstHistogram(r).reduce((a, b) => a + b.count, 0)).toBe(5);
    expect(burstAttempts(r).map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('sockets: the agent sees its own listening socket', async () => {
    const r = checked('sockets', await runModule('sockets', { states: ['listen'] }, `*`));
    const { total, sockets } = socketList(r);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(sockets.map((s) => formatEndpoint(s.local))).toContain(`127.0.0.1:${plainPort}`);
  });
});

describe('details of grpc, websocket, unix and the host checks, as their schemas say', () => {
  let root: string;
  let grpc: HealthServer;
  let ws: WebSocketServer;
  let wsPort: number;
  let unix: NetServer;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), 'pulse-details-')));
    await writeFile(join(root, 'hosts'), HOSTS);
    grpc = await startHealthServer(ServerCredentials.createInsecure(), { '': 'SERVING' });
    ws = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => ws.once('listening', resolve));
    wsPort = (ws.address() as AddressInfo).port;
    unix = createNetServer((s) => s.end('READY\n'));
    await new Promise<void>((resolve) => unix.listen(join(root, 'app.sock'), resolve));
  });
  afterAll(async () => {
    grpc?.server.forceShutdown();
    ws?.close();
    unix?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  const HOSTS = '127.0.0.1 localhost\n10.0.0.1 db\n';
  const hostChecks = () => ({ host_checks: { allowed_paths: [`${root}/**`] } });

  it('grpc: the status code and serving status', async () => {
    const r = checked('grpc', await runModule('grpc', {}, `127.0.0.1:${grpc.port}`));
    expect(r.details).toMatchObject({ host: '127.0.0.1', port: grpc.port, ip: '127.0.0.1', status_code: 0, serving_status: 'SERVING' });
  });

  it('websocket: the upgrade status', async () => {
    const r = checked('websocket', await runModule('websocket', {}, `ws://127.0.0.1:${wsPort}/`));
    expect(r.success).toBe(true);
    expect(r.details).toMatchObject({ ip: '127.0.0.1', status_code: 101, upgraded: true });
  });

  it('unix: the dialogue steps', async () => {
    const r = checked('unix', await runModule('unix', { query_response: [{ expect: '^READY' }] }, join(root, 'app.sock'), '5s', hostChecks()));
    expect(r.success).toBe(true);
    expect(r.details).toMatchObject({ path: join(root, 'app.sock'), steps: [{ step: 0, matched_line: 'READY' }] });
  });

  it('file_exists, file_contains, process_running', async () => {
    const exists = checked('file_exists', await runModule('file_exists', {}, join(root, 'hosts'), '5s', hostChecks()));
    expect(exists.details).toMatchObject({ exists: true, type: 'file', size_bytes: HOSTS.length });
    const contains = checked('file_contains', await runModule('file_contains', { check: 'db' }, join(root, 'hosts'), '5s', hostChecks()));
    expect(contains.details).toMatchObject({ lines: 2, matching_lines: 1, first_matching_line_number: 2 });
    const running = checked('process_running', await runModule('process_running', {}, 'node', '5s', hostChecks()));
    expect(running.success).toBe(true);
    expect((running.details as { processes_matching: number }).processes_matching).toBeGreaterThanOrEqual(1);
  });
});
