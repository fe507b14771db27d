import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../client/api.js';
import { dnsQuestion, dnsRcode, dnsRecords, httpHeaders, mtrHops, tlsCertificate, tlsVerified, tlsVersion } from '../../client/details.js';
import { connectedAsn } from '../../client/asn.js';
import type { ProbeOutcome } from '../../exporter/probe.js';
import { annotate } from '../../hub/asn/enrich.js';
import { metricsAsJson } from '../../exporter/json.js';
import { BUILTIN_PROBERS } from '../../lib/probers/builtin.js';
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
