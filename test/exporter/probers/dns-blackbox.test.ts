/**
 * Pulse's dns prober side by side with the real blackbox_exporter 0.23 binary: same blackbox.yml
 * modules, same DNS server on loopback. Metric names, help, labels and non-timing values must
 * agree, and each record's text must be exactly what blackbox logs while validating it.
 */
import type dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeProbe, prepareProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { parseConfig } from '../../../lib/config/load.js';
import { type Blackbox, startBlackbox } from '../../helpers/blackbox.js';
import { type DnsTestServer, EXAMPLE_SOA as SOA, startDnsServer, zone } from '../../helpers/dns-server.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

/** Every record type Pulse formats, plus one it does not know, with awkward bytes where allowed. */
const RECORDS: dnsPacket.Answer[] = [
  { type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.1' },
  { type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.3' },
  { type: 'AAAA', name: 'example.org', ttl: 300, data: '2001:db8::1' },
  { type: 'AAAA', name: 'example.org', ttl: 300, data: '2001:db8:0:0:1:0:0:0' },
  { type: 'AAAA', name: 'example.org', ttl: 300, data: '::ffff:192.0.2.9' },
  { type: 'NS', name: 'example.org', ttl: 300, data: 'ns1.example.org' },
  { type: 'MX', name: 'example.org', ttl: 300, data: { preference: 10, exchange: 'mx.example.org' } },
  { type: 'TXT', name: 'example.org', ttl: 300, data: ['v=spf1 -all', Buffer.from('say "hi" \\ \t\u00e9')] },
  SOA,
  { type: 'SRV', name: 'example.org', ttl: 300, data: { priority: 1, weight: 5, port: 5060, target: 'sip.example.org' } },
  { type: 'CAA', name: 'example.org', ttl: 300, data: { flags: 128, tag: 'issue', value: 'ca.example.net; account=1' } },
  { type: 'HINFO', name: 'example.org', ttl: 300, data: { cpu: 'INTEL-386', os: 'Linux 6' } },
  {
    type: 'NAPTR',
    name: 'example.org',
    ttl: 300,
    data: { order: 100, preference: 10, flags: 'U', services: 'E2U+sip', regexp: '!^.*$!sip:info@example.org!', replacement: '.' },
  },
  { type: 'DS', name: 'example.org', ttl: 300, data: { keyTag: 12345, algorithm: 13, digestType: 2, digest: Buffer.from('abcdef0123', 'hex') } },
  { type: 'DNSKEY', name: 'example.org', ttl: 300, data: { flags: 257, algorithm: 13, key: Buffer.from('pulse-test-key-bytes') } },
  { type: 'SSHFP', name: 'example.org', ttl: 300, data: { algorithm: 4, hash: 1, fingerprint: 'ab'.repeat(20) } },
  { type: 'TLSA', name: 'example.org', ttl: 300, data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('00ff10', 'hex') } },
  { type: 'NSEC', name: 'example.org', ttl: 300, data: { nextDomain: 'a.example.org', rrtypes: ['A', 'NS', 'SOA', 'MX', 'RRSIG', 'NSEC', 'CAA'] } },
  {
    type: 'RRSIG',
    name: 'example.org',
    ttl: 300,
    data: {
      typeCovered: 'A',
      algorithm: 13,
      labels: 2,
      originalTTL: 300,
      expiration: Date.UTC(2030, 0, 2, 3, 4, 5) / 1000,
      inception: Date.UTC(2029, 11, 1) / 1000,
      keyTag: 4321,
      signersName: 'example.org',
      signature: Buffer.from('signature-bytes'),
    },
  },
  { type: 'UNKNOWN_65000' as 'A', name: 'example.org', ttl: 300, data: Buffer.from([1, 2, 0xab]) as unknown as string },
  { type: 'PTR', name: '1.2.0.192.in-addr.arpa', ttl: 60, data: 'host.example.org' },
  { type: 'CNAME', name: 'www.example.org', ttl: 60, data: 'example.org' },
];

const MODULES = `
modules:
  dns_any:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: ANY
  dns_any_tcp:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      transport_protocol: tcp
  dns_a:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: A
      validate_answer_rrs:
        fail_if_not_matches_regexp: ['IN\\tA\\t192\\.0\\.2\\.[13]$']
  dns_a_not_matching:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: A
      validate_answer_rrs:
        fail_if_not_matches_regexp: ['IN\\tA\\t192\\.0\\.2\\.1$']
  dns_all_match_partial:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: A
      validate_answer_rrs:
        fail_if_all_match_regexp: ['\\.1$']
  dns_all_match_empty:
    prober: dns
    timeout: 5s
    dns:
      query_name: www.example.org
      query_type: A
      validate_answer_rrs:
        fail_if_all_match_regexp: ['never']
  dns_none_match:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: A
      validate_answer_rrs:
        fail_if_none_matches_regexp: ['192\\.0\\.2\\.3$', 'nothing']
  dns_soa:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: SOA
      transport_protocol: tcp
  dns_soa_missing:
    prober: dns
    timeout: 5s
    dns:
      query_name: www.example.org
      query_type: SOA
  dns_ptr:
    prober: dns
    timeout: 5s
    dns:
      query_name: 1.2.0.192.in-addr.arpa
      query_type: PTR
      recursion_desired: false
  dns_nxdomain:
    prober: dns
    timeout: 5s
    dns:
      query_name: missing.example.org
      query_type: A
  dns_nxdomain_ok:
    prober: dns
    timeout: 5s
    dns:
      query_name: missing.example.org
      query_type: A
      valid_rcodes: [NOERROR, NXDOMAIN]
      validate_authority_rrs:
        fail_if_none_matches_regexp: ['\\tSOA\\t']
  dns_servfail:
    prober: dns
    timeout: 5s
    dns:
      query_name: servfail.example.org
      query_type: A
  dns_regex_fail:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: MX
      validate_answer_rrs:
        fail_if_matches_regexp: ['mx\\.example\\.org\\.$']
  dns_all_match:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: TXT
      validate_answer_rrs:
        fail_if_all_match_regexp: ['.*']
  dns_no_fallback:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: A
      ip_protocol_fallback: false
  dns_silent:
    prober: dns
    timeout: 1s
    dns:
      query_name: silent.example.org
      query_type: A
`;

interface Family {
  help: string;
  type: string;
  samples: Map<string, number>;
}

function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  for (const line of text.split('\n')) {
    const help = /^# HELP (\S+) (.*)$/.exec(line);
    if (help) families.set(help[1]!, { help: help[2]!, type: '', samples: new Map() });
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.get(type[1]!)!.type = type[2]!;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (sample) families.get(sample[1]!)?.samples.set(sample[2] ?? '', Number(sample[3]));
  }
  return families;
}

/** The `rr="..."` values blackbox logs as "Validating RR", unescaped (logfmt quoting is JSON-like). */
function loggedRecords(debug: string): string[] {
  return [...debug.matchAll(/msg="Validating RR" rr=("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
}

const TIMINGS = new Set(['probe_duration_seconds', 'probe_dns_duration_seconds', 'probe_dns_lookup_time_seconds']);

let pki: TestPki;
let dns: DnsTestServer;
let dns6: DnsTestServer;
let blackbox: Blackbox | undefined;
let pulse: Exporter;

beforeAll(async () => {
  const records = zone(RECORDS, { soa: SOA });
  pki = await createTestPki();
  const cert = await pki.issue('dot', { hosts: ['127.0.0.1'], usage: 'server' });
  dns = await startDnsServer({
    tls: { cert: cert.cert, key: cert.key },
    handler: (q) => {
      if (q.name === 'servfail.example.org') return { rcode: 'SERVFAIL' };
      if (q.name === 'silent.example.org') return 'silence';
      return records(q);
    },
  });
  dns6 = await startDnsServer({ host: '::1', handler: records });
  const dot = `  dns_dot:
    prober: dns
    timeout: 5s
    dns:
      query_name: example.org
      query_type: MX
      transport_protocol: tcp
      dns_over_tls: true
      tls_config:
        ca_file: ${pki.caFile}
`;
  blackbox = await startBlackbox(MODULES + dot);
  pulse = await buildExporter({ config: parseConfig(MODULES + dot) });
});

afterAll(async () => {
  await blackbox?.stop();
  await pulse?.app.close();
  await dns?.close();
  await dns6?.close();
  await pki?.cleanup();
});

async function both(module: string, debug = false, target = dns.target): Promise<{ bb: string; pulse: string }> {
  const query = `module=${module}&target=${encodeURIComponent(target)}${debug ? '&debug=true' : ''}`;
  const [bbRes, pulseRes] = await Promise.all([blackbox!.probe(module, target, { debug }), pulse.app.inject({ url: `/probe?${query}` })]);
  expect(bbRes.status).toBe(200);
  expect(pulseRes.statusCode).toBe(200);
  return { bb: bbRes.body, pulse: pulseRes.body };
}

describe('dns prober vs blackbox_exporter 0.23', () => {
  // Module → the probe_success both must report, so agreement on a failure is not mistaken for a pass.
  const modules: Record<string, number> = {
    dns_any_tcp: 1,
    dns_a: 1,
    dns_a_not_matching: 0,
    dns_all_match_partial: 0,
    dns_all_match_empty: 1,
    dns_none_match: 1,
    dns_soa: 1,
    dns_soa_missing: 1,
    dns_ptr: 1,
    dns_nxdomain: 0,
    dns_nxdomain_ok: 1,
    dns_servfail: 0,
    dns_regex_fail: 0,
    dns_all_match: 1,
    dns_no_fallback: 0,
    dns_silent: 0,
  };
  // Targets are functions: the servers start in beforeAll, after the cases are listed.
  const cases: [string, string, () => string, number][] = [
    ...Object.entries(modules).map(([m, ok]): [string, string, () => string, number] => [m, 'IPv4 resolver', () => dns.target, ok]),
    ['dns_a', 'IPv6 resolver', () => dns6.target, 1],
    ['dns_a', 'resolver by name', () => `localhost:${dns.port}`, 1],
    ['dns_no_fallback', 'IPv6 resolver', () => dns6.target, 1],
    ['dns_dot', 'DNS over TLS', () => `127.0.0.1:${dns.tlsPort}`, 1],
  ];
  for (const [module, label, target, success] of cases) {
    it(`${module}, ${label}: same metric families, help, labels and values`, async () => {
      const out = await both(module, false, target());
      const bb = parseExposition(out.bb);
      const ours = parseExposition(out.pulse);
      // probe_timeout_seconds is the runner's, added to every module; blackbox 0.23 has none.
      ours.delete('probe_timeout_seconds');
      expect(bb.get('probe_success')!.samples.get('')).toBe(success);
      expect([...ours.keys()]).toEqual([...bb.keys()]);
      for (const [name, fam] of bb) {
        const mine = ours.get(name)!;
        expect(mine.help, name).toBe(fam.help);
        expect(mine.type, name).toBe(fam.type);
        expect([...mine.samples.keys()].sort(), name).toEqual([...fam.samples.keys()].sort());
        if (TIMINGS.has(name)) continue;
        for (const [labels, value] of fam.samples) expect(mine.samples.get(labels), `${name}${labels}`).toBe(value);
      }
    });
  }

  it('reports a truncated UDP answer where blackbox stops and Pulse asks again over TCP', async () => {
    const out = await both('dns_any');
    const bb = parseExposition(out.bb);
    const ours = parseExposition(out.pulse);
    ours.delete('probe_timeout_seconds');
    expect([...ours.keys()]).toEqual([...bb.keys()]);
    expect(bb.get('probe_dns_answer_rrs')!.samples.get('')).toBe(0);
    expect(ours.get('probe_dns_answer_rrs')!.samples.get('')).toBe(RECORDS.filter((r) => r.name === 'example.org').length);
  });

  it('sends recursion_desired as configured, like blackbox', async () => {
    const from = dns.queries.length;
    await both('dns_ptr');
    const asked = dns.queries.slice(from);
    expect(asked.length).toBe(2);
    expect(asked.map((q) => q.recursionDesired)).toEqual([false, false]);
  });

  it('prints every record exactly as blackbox logs it while validating', async () => {
    for (const module of ['dns_any_tcp', 'dns_ptr', 'dns_nxdomain_ok']) {
      const out = await both(module, true);
      const expected = loggedRecords(out.bb);
      expect(expected.length, module).toBeGreaterThan(0);
      expect(await pulseTexts(module), module).toEqual(expected);
    }
  });
});

/** Record texts of every section, in blackbox's validation order, from Pulse's structured result. */
async function pulseTexts(module: string): Promise<string[]> {
  const mod = pulse.state().config.modules[module]!;
  const req = { moduleName: module, module: mod, target: dns.target };
  const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), pulse.state().config.exporter, req);
  const outcome = await executeProbe(prober, pulse.state().config.exporter, req, timeoutSeconds, undefined);
  const sections = ['answer', 'authority', 'additional'].map((s) => (outcome.details[s] as { text: string }[] | undefined) ?? []);
  return sections.flat().map((r) => r.text);
}
