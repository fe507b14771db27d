import type dnsPacket from 'dns-packet';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeProbe, prepareProbe } from '../../../exporter/probe.js';
import { exchangeStream } from '../../../exporter/probers/dns/stream.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { buildExporter } from '../../../exporter/server.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { isPulseError } from '../../../lib/errors.js';
import { type DnsTestServer, EXAMPLE_SOA as SOA, startDnsServer, zone } from '../../helpers/dns-server.js';

const RECORDS: dnsPacket.Answer[] = [
  { type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.1' },
  { type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.2' },
  { type: 'AAAA', name: 'example.org', ttl: 300, data: '2001:db8::1' },
  { type: 'MX', name: 'example.org', ttl: 300, data: { preference: 10, exchange: 'mx.example.org' } },
  { type: 'TXT', name: 'example.org', ttl: 300, data: ['v=spf1 -all', 'second string'] },
  SOA,
];

type Dns = Record<string, unknown>;

async function probe(target: string, dns: Dns, timeout = '5s', exporter: Record<string, unknown> = {}) {
  const config = resolveConfig({ modules: { m: { prober: 'dns', timeout, dns } }, exporter });
  const req = { moduleName: 'm', module: config.modules.m!, target };
  const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), config.exporter, req);
  return executeProbe(prober, config.exporter, req, timeoutSeconds, undefined);
}

/** The reason prepareProbe gives (what /probe answers with a 400), or undefined if accepted. */
function rejection(target: string, dns: Dns): string | undefined {
  const config = resolveConfig({ modules: { m: { prober: 'dns', dns } } });
  try {
    prepareProbe(defaultProbers(), config.exporter, { moduleName: 'm', module: config.modules.m!, target });
    return undefined;
  } catch (err) {
    if (isPulseError(err) && err.status === 400) return err.message;
    throw err;
  }
}

let server: DnsTestServer;

beforeAll(async () => {
  server = await startDnsServer({ handler: zone(RECORDS, { soa: SOA }) });
});

afterAll(async () => {
  await server.close();
});

describe('dns prober against a DNS server on loopback', () => {
  it('answers an A query over UDP with blackbox metrics and a structured result', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const from = server.queries.length;
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'A' });
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    const m = out.metrics;
    expect(m.get('probe_dns_answer_rrs')).toBe(2);
    expect(m.get('probe_dns_authority_rrs')).toBe(0);
    expect(m.get('probe_dns_additional_rrs')).toBe(0);
    expect(m.get('probe_dns_query_succeeded')).toBe(1);
    expect(m.get('probe_ip_protocol')).toBe(4);
    expect(m.get('probe_ip_addr_hash')).toBeGreaterThan(0);
    for (const phase of ['resolve', 'connect', 'request']) expect(m.get('probe_dns_duration_seconds', { phase })).toBeGreaterThanOrEqual(0);
    expect(m.has('probe_dns_serial')).toBe(false);
    expect(out.details).toMatchObject({
      rcode: 'NOERROR',
      flags: { aa: true, tc: false, rd: true, ra: false, ad: false, cd: false },
      resolver: { address: server.target, transport: 'udp', retried_over_tcp: false, ip_protocol: 4 },
      query: { name: 'example.org.', type: 'A', type_code: 1, class: 'IN', recursion_desired: true },
      answer: [
        { name: 'example.org.', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1', text: 'example.org.\t300\tIN\tA\t192.0.2.1' },
        { name: 'example.org.', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.2' },
      ],
      authority: [],
      additional: [],
    });
    const timings = out.details.timings as Record<string, number>;
    expect(Object.keys(timings).sort()).toEqual(['connect', 'request', 'resolve']);
    const asked = server.queries.slice(from);
    expect(asked).toEqual([expect.objectContaining({ transport: 'udp', name: 'example.org', type: 'A', class: 'IN', recursionDesired: true })]);
  });

  it('answers AAAA, MX and TXT in readable form', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const aaaa = await probe(server.target, { query_name: 'example.org', query_type: 'AAAA' });
    expect((aaaa.details.answer as unknown[])[0]).toMatchObject({ type: 'AAAA', data: '2001:db8::1' });
    const mx = await probe(server.target, { query_name: 'example.org', query_type: 'MX' });
    expect((mx.details.answer as unknown[])[0]).toMatchObject({ type: 'MX', data: '10 mx.example.org.' });
    const txt = await probe(server.target, { query_name: 'example.org', query_type: 'TXT' });
    expect((txt.details.answer as unknown[])[0]).toMatchObject({
      type: 'TXT',
      data: ['v=spf1 -all', 'second string'],
      text: 'example.org.\t300\tIN\tTXT\t"v=spf1 -all" "second string"',
    });
    expect([aaaa.success, mx.success, txt.success]).toEqual([true, true, true]);
  });

  it('reports the zone serial for SOA queries', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'SOA' });
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_dns_serial')).toBe(2024010101);
    expect((out.details.answer as unknown[])[0]).toMatchObject({
      data: { mname: 'ns1.example.org.', rname: 'hostmaster.example.org.', serial: 2024010101, refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
    });
  });

  it('fails NXDOMAIN unless valid_rcodes lists it, with the query itself succeeding', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const out = await probe(server.target, { query_name: 'missing.example.org', query_type: 'A' });
    expect(out.success).toBe(false);
    expect(out.reason).toBe('rcode NXDOMAIN is not one of the valid rcodes (NOERROR)');
    expect(out.details.rcode).toBe('NXDOMAIN');
    expect(out.metrics.get('probe_dns_query_succeeded')).toBe(1);
    expect(out.metrics.get('probe_dns_authority_rrs')).toBe(1);
    const allowed = await probe(server.target, { query_name: 'missing.example.org', query_type: 'A', valid_rcodes: ['NOERROR', 'NXDOMAIN'] });
    expect(allowed.success).toBe(true);
  });

  it('fails SERVFAIL', async () => {
    server.handle(() => ({ rcode: 'SERVFAIL', ra: true }));
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'A' });
    expect(out.success).toBe(false);
    expect(out.reason).toMatch(/rcode SERVFAIL/);
    expect(out.details).toMatchObject({ rcode: 'SERVFAIL', flags: { ra: true } });
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    server.handle(zone(RECORDS, { soa: SOA, truncateUdp: true }));
    const from = server.queries.length;
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'A' });
    expect(out.success).toBe(true);
    expect(server.queries.slice(from).map((q) => q.transport)).toEqual(['udp', 'tcp']);
    expect(out.metrics.get('probe_dns_answer_rrs')).toBe(2);
    expect(out.details).toMatchObject({ resolver: { transport: 'tcp', retried_over_tcp: true }, flags: { tc: false } });
  });

  it('uses TCP only with transport_protocol: tcp', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const from = server.queries.length;
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'MX', transport_protocol: 'tcp' });
    expect(out.success).toBe(true);
    expect(server.queries.slice(from).map((q) => q.transport)).toEqual(['tcp']);
    expect(out.details).toMatchObject({ resolver: { transport: 'tcp', retried_over_tcp: false } });
  });

  it('gives up at the timeout on a server that never answers, over UDP and TCP', async () => {
    server.handle(() => 'silence');
    for (const transport_protocol of ['udp', 'tcp']) {
      const out = await probe(server.target, { query_name: 'example.org', query_type: 'A', transport_protocol }, '1s');
      expect(out.success).toBe(false);
      expect(out.reason).toBe('timed out waiting for the DNS response');
      expect(out.metrics.get('probe_dns_query_succeeded')).toBe(0);
      expect(out.metrics.get('probe_dns_answer_rrs')).toBe(0);
      for (const phase of ['resolve', 'connect', 'request']) expect(out.metrics.get('probe_dns_duration_seconds', { phase })).toBeDefined();
      expect(out.metrics.get('probe_dns_duration_seconds', { phase: 'request' })).toBeGreaterThan(0);
    }
  });

  it('ignores UDP replies with another ID and fails on a malformed one', async () => {
    server.handle((q) => ({ raw: Buffer.from([(q.id + 1) >> 8, (q.id + 1) & 0xff, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0]) }));
    const wrongId = await probe(server.target, { query_name: 'example.org', query_type: 'A' }, '1s');
    expect(wrongId.reason).toBe('timed out waiting for the DNS response');
    server.handle((q) => ({ raw: Buffer.from([q.id >> 8, q.id & 0xff, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0]) }));
    const malformed = await probe(server.target, { query_name: 'example.org', query_type: 'A' });
    expect(malformed.success).toBe(false);
    expect(malformed.reason).toMatch(/^malformed DNS message/);
    expect(malformed.metrics.get('probe_dns_query_succeeded')).toBe(0);
  });

  it('fails at once when nothing listens on the resolver port', async () => {
    const closed = await startDnsServer();
    const target = closed.target;
    await closed.close();
    for (const transport_protocol of ['udp', 'tcp']) {
      const out = await probe(target, { query_name: 'example.org', query_type: 'A', transport_protocol }, '30s');
      expect(out.success).toBe(false);
      expect(out.reason).toMatch(/ECONNREFUSED/);
      expect(out.metrics.get('probe_dns_query_succeeded')).toBe(0);
    }
  });

  it('fails, without crashing the process, when the UDP connect itself fails', async () => {
    // fe80::1 on lo has no route (lo carries no link-local address): connect() fails in its
    // callback, and a send on the unconnected socket used to throw an uncaught error. Link-local
    // is denied by the target policy unless allowed, so this exporter allows it.
    const linkLocal = { target_policy: { allow_cidrs: ['fe80::/10'] } };
    for (const target of ['fe80::1%lo', '[fe80::1%lo]:53']) {
      const out = await probe(target, { query_name: 'example.org', query_type: 'A', preferred_ip_protocol: 'ip6' }, '30s', linkLocal);
      expect(out.success).toBe(false);
      expect(out.reason).toMatch(/UDP: connect (ENETUNREACH|EINVAL|EADDRNOTAVAIL)/);
      expect(out.metrics.get('probe_dns_query_succeeded')).toBe(0);
    }
    const overTcp = await probe('fe80::1%lo', { query_name: 'example.org', transport_protocol: 'tcp' }, '30s', linkLocal);
    expect(overTcp.success).toBe(false);
    expect(overTcp.reason).toMatch(/TCP: .*(ENETUNREACH|EINVAL|EADDRNOTAVAIL)/);
  });

  it('fails a TCP or TLS exchange whose socket options Node refuses at once', async () => {
    const query = Buffer.alloc(12);
    for (const tls of [undefined, {}]) {
      const ask = exchangeStream({ address: '127.0.0.1', port: 53, family: 4, sourceAddress: 'not-an-ip' }, query, new AbortController().signal, tls);
      await expect(ask).rejects.toThrow(/^(TCP|TLS): Invalid IP address: not-an-ip$/);
    }
  });

  it('sends recursion_desired, numeric query types and query_class as configured', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const from = server.queries.length;
    const numeric = await probe(server.target, { query_name: 'example.org', query_type: 1, recursion_desired: false });
    expect(numeric.success).toBe(true);
    expect(numeric.details).toMatchObject({ query: { type: 'A', type_code: 1, recursion_desired: false }, flags: { rd: false } });
    await probe(server.target, { query_name: 'version.bind', query_type: 'TXT', query_class: 'CH', valid_rcodes: ['NXDOMAIN'] });
    await probe(server.target, { query_name: 'example.org', query_type: 'TYPE65000', valid_rcodes: ['NOERROR'] });
    const asked = server.queries.slice(from);
    expect(asked.map((q) => [q.typeCode, q.class, q.recursionDesired])).toEqual([
      [1, 'IN', false],
      [16, 'CH', true],
      [65000, 'IN', true],
    ]);
  });

  it('sends from source_ip_address', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const out = await probe(server.target, { query_name: 'example.org', query_type: 'A', source_ip_address: '127.0.0.1' });
    expect(out.success).toBe(true);
  });

  it('resolves a resolver given by name, honouring preferred_ip_protocol and fallback', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const byName = `localhost:${server.port}`;
    const fallback = await probe(byName, { query_name: 'example.org', query_type: 'A' });
    expect(fallback.success).toBe(true);
    expect(fallback.metrics.get('probe_ip_protocol')).toBe(4);
    expect(fallback.details).toMatchObject({ resolver: { host: 'localhost', ip: '127.0.0.1' } });
    const strict = await probe(`127.0.0.1:${server.port}`, { query_name: 'example.org', query_type: 'A', ip_protocol_fallback: false });
    expect(strict.success).toBe(false);
    expect(strict.reason).toMatch(/no ip6 address/);
    expect(strict.metrics.get('probe_ip_protocol')).toBe(0);
    expect(strict.metrics.get('probe_dns_query_succeeded')).toBe(0);
  });

  it('probes an IPv6 resolver', async () => {
    const v6 = await startDnsServer({ host: '::1', handler: zone(RECORDS) });
    try {
      const out = await probe(v6.target, { query_name: 'example.org', query_type: 'AAAA' });
      expect(out.success).toBe(true);
      expect(out.metrics.get('probe_ip_protocol')).toBe(6);
      expect(out.details).toMatchObject({ resolver: { address: `[::1]:${v6.port}` }, answer: [{ data: '2001:db8::1' }] });
    } finally {
      await v6.close();
    }
  });
});

describe('validate_*_rrs against the live answer', () => {
  const A = { query_name: 'example.org', query_type: 'A' };
  const cases: [string, Dns, boolean][] = [
    ['fail_if_matches_regexp passes', { validate_answer_rrs: { fail_if_matches_regexp: ['198\\.51\\.100\\.'] } }, true],
    ['fail_if_matches_regexp fails', { validate_answer_rrs: { fail_if_matches_regexp: ['\\t192\\.0\\.2\\.2$'] } }, false],
    // blackbox 0.23's semantics, despite the name: fails unless every record matches.
    ['fail_if_all_match_regexp passes', { validate_answer_rrs: { fail_if_all_match_regexp: ['^example\\.org\\.\\t300\\tIN\\tA\\t'] } }, true],
    ['fail_if_all_match_regexp fails', { validate_answer_rrs: { fail_if_all_match_regexp: ['\\.1$'] } }, false],
    ['fail_if_not_matches_regexp passes', { validate_answer_rrs: { fail_if_not_matches_regexp: ['IN\\tA\\t192\\.0\\.2\\.[12]$'] } }, true],
    ['fail_if_not_matches_regexp fails', { validate_answer_rrs: { fail_if_not_matches_regexp: ['192\\.0\\.2\\.1$'] } }, false],
    ['fail_if_none_matches_regexp passes', { validate_answer_rrs: { fail_if_none_matches_regexp: ['192\\.0\\.2\\.2'] } }, true],
    ['fail_if_none_matches_regexp fails', { validate_answer_rrs: { fail_if_none_matches_regexp: ['203\\.0\\.113\\.'] } }, false],
  ];
  for (const [name, extra, pass] of cases) {
    it(name, async () => {
      server.handle(zone(RECORDS, { soa: SOA }));
      const out = await probe(server.target, { ...A, ...extra });
      expect(out.success, out.reason).toBe(pass);
      if (!pass) expect(out.reason).toMatch(/^answer RRs validation failed: /);
      expect(out.metrics.get('probe_dns_query_succeeded')).toBe(1);
    });
  }

  it('checks the authority and additional sections too', async () => {
    server.handle(() => ({
      answers: [{ type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.1' }],
      authorities: [{ type: 'NS', name: 'example.org', ttl: 300, data: 'ns1.example.org' }],
      additionals: [{ type: 'A', name: 'ns1.example.org', ttl: 300, data: '192.0.2.53' }],
    }));
    const ok = await probe(server.target, {
      ...A,
      validate_authority_rrs: { fail_if_not_matches_regexp: ['IN\\tNS\\tns1\\.example\\.org\\.$'] },
      validate_additional_rrs: { fail_if_none_matches_regexp: ['^ns1\\.example\\.org\\.\\t'] },
    });
    expect(ok.success, ok.reason).toBe(true);
    expect([ok.metrics.get('probe_dns_authority_rrs'), ok.metrics.get('probe_dns_additional_rrs')]).toEqual([1, 1]);
    const badAuthority = await probe(server.target, { ...A, validate_authority_rrs: { fail_if_matches_regexp: ['\\tNS\\t'] } });
    expect(badAuthority.reason).toMatch(/^authority RRs validation failed/);
    const badAdditional = await probe(server.target, { ...A, validate_additional_rrs: { fail_if_all_match_regexp: ['192\\.0\\.2\\.99'] } });
    expect(badAdditional.reason).toMatch(/^additional RRs validation failed/);
  });
});

describe('bad targets and options are refused before any query', () => {
  const A = { query_name: 'example.org', query_type: 'A' };
  it('refuses argument-like, empty, long and malformed resolvers', () => {
    expect(rejection('-x', A)).toBe('target must not start with "-"');
    expect(rejection('', A)).toBe('target parameter is missing');
    expect(rejection('a'.repeat(3000), A)).toMatch(/longer than 2048/);
    expect(rejection('exa mple.org', A)).toMatch(/not a valid hostname or IP address/);
    expect(rejection('resolver;rm -rf /', A)).toMatch(/not a valid hostname/);
    expect(rejection('127.0.0.1:99999', A)).toMatch(/out of range/);
    expect(rejection('127.0.0.1:dns', A)).toMatch(/not a number/);
    expect(rejection(`${'a'.repeat(64)}.example`, A)).toMatch(/not a valid hostname/);
    expect(rejection('127.0.0.1:53', A)).toBeUndefined();
    expect(rejection('::1', A)).toBeUndefined();
    expect(rejection('[::1]:5353', A)).toBeUndefined();
    expect(rejection('resolver.example', A)).toBeUndefined();
  });

  it('refuses DNS over TLS over UDP and a source address that is not an IP', () => {
    expect(rejection('127.0.0.1', { ...A, dns_over_tls: true })).toMatch(/dns_over_tls needs transport_protocol: tcp/);
    expect(rejection('127.0.0.1', { ...A, source_ip_address: 'eth0' })).toMatch(/source_ip_address "eth0" is not an IP address/);
  });

  it('refuses bad query names, types, classes, rcodes and regexes in the config', () => {
    const bad: [Dns, RegExp][] = [
      [{ query_type: 'A' }, /missing required key "query_name"/],
      [{ query_name: 'a..b' }, /dns\.query_name: expected a DNS name/],
      [{ query_name: `${'abcdefghi.'.repeat(26)}org` }, /dns\.query_name/],
      [{ query_name: 'exa mple.org' }, /dns\.query_name: expected a DNS name/],
      [{ query_name: 'example.org', query_type: 'AAAAA' }, /dns\.query_type: expected one of "A"/],
      [{ query_name: 'example.org', query_type: 70000 }, /dns\.query_type/],
      [{ query_name: 'example.org', query_class: 'XX' }, /dns\.query_class: expected one of "IN"/],
      [{ query_name: 'example.org', valid_rcodes: ['NOPE'] }, /dns\.valid_rcodes\[0\]: expected one of/],
      [{ query_name: 'example.org', transport_protocol: 'quic' }, /dns\.transport_protocol: expected one of "udp", "tcp"/],
      [{ query_name: 'example.org', validate_answer_rrs: { fail_if_matches_regexp: ['('] } }, /invalid regular expression/],
      [{ query_name: 'example.org', validate_answer_rrs: { fail_if_maybe: ['x'] } }, /validate_answer_rrs\.fail_if_maybe: unknown key/],
    ];
    for (const [dns, message] of bad) {
      expect(() => resolveConfig({ modules: { m: { prober: 'dns', dns } } }), JSON.stringify(dns)).toThrow(message);
    }
  });
});

describe('/probe for a dns module', () => {
  it('answers exposition that promtool accepts, sorted, with blackbox metric names', async () => {
    server.handle(zone(RECORDS, { soa: SOA }));
    const config = resolveConfig({
      modules: {
        dns_soa: { prober: 'dns', timeout: '5s', dns: { query_name: 'example.org', query_type: 'SOA', preferred_ip_protocol: 'ip4' } },
      },
    });
    const { app } = await buildExporter({ config });
    try {
      const res = await app.inject({ url: `/probe?module=dns_soa&target=${encodeURIComponent(server.target)}` });
      expect(res.statusCode).toBe(200);
      const names = [...res.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual([
        'probe_dns_additional_rrs',
        'probe_dns_answer_rrs',
        'probe_dns_authority_rrs',
        'probe_dns_duration_seconds',
        'probe_dns_lookup_time_seconds',
        'probe_dns_query_succeeded',
        'probe_dns_serial',
        'probe_duration_seconds',
        'probe_ip_addr_hash',
        'probe_ip_protocol',
        'probe_success',
        'probe_timeout_seconds',
      ]);
      // Samples inside a family by label value, as Go's client prints them.
      const phases = [...res.body.matchAll(/^probe_dns_duration_seconds\{phase="(\w+)"\}/gm)].map((m) => m[1]);
      expect(phases).toEqual(['connect', 'request', 'resolve']);
      expect(res.body).toMatch(/^probe_dns_serial 2024010101$/m);
      expect(res.body).toMatch(/^probe_success 1$/m);
      const check = await execa('promtool', ['check', 'metrics'], { input: res.body, reject: false });
      expect(check.exitCode, `${check.stdout}${check.stderr}`).toBe(0);

      const bad = await app.inject({ url: '/probe?module=dns_soa&target=-x' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toBe('target must not start with "-"\n');
      const badName = await app.inject({ url: '/probe?module=dns_soa&target=bad%20host' });
      expect(badName.statusCode).toBe(400);
      expect(badName.body).toMatch(/not a valid hostname or IP address/);
    } finally {
      await app.close();
    }
  });
});
