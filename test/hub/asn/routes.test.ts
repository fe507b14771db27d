import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type DnsTestServer, startDnsServer } from '../../helpers/dns-server.js';
import { type Fleet, startFleet } from '../../helpers/fleet.js';
import { buildMmdb } from '../../helpers/mmdb.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/asn');

/** Cymru's data as the test's DNS server serves it: TXT records in their format. */
const CYMRU: Record<string, string> = {
  '8.8.8.8.origin.asn.cymru.com': '15169 | 8.8.8.0/24 | US | arin | 1992-12-01',
  '1.0.0.1.origin.asn.cymru.com': '13335 | 1.0.0.0/24 | AU | apnic | 2011-08-11',
  'AS15169.asn.cymru.com': '15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US',
  'AS13335.asn.cymru.com': '13335 | US | arin | 2010-07-14 | CLOUDFLARENET - Cloudflare, Inc., US',
  'AS3320.asn.cymru.com': '3320 | DE | ripencc | 1990-01-01 | DTAG Deutsche Telekom AG, DE',
  // 2001:4860::8888, nibbles reversed
  '8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.1.0.0.2.origin6.asn.cymru.com': '15169 | 2001:4860::/32 | US | arin | 2005-03-14',
  // 193.0.6.139: an answer that is not Cymru's format
  '139.6.0.193.origin.asn.cymru.com': 'this is not | a cymru answer',
};

async function get(base: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function send(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('ASN lookups on the hub', () => {
  let dns: DnsTestServer;
  let fleet: Fleet;
  let url: string;
  let tmp: string | undefined;

  beforeAll(async () => {
    dns = await startDnsServer({
      handler: (q) => {
        // The resolver lowercases names (AS15169 arrives as as15169).
        const txt = Object.entries(CYMRU).find(([k]) => k.toLowerCase() === q.name.toLowerCase())?.[1];
        if (q.type !== 'TXT' || txt === undefined) return { rcode: 'NXDOMAIN' };
        return { answers: [{ type: 'TXT', name: q.name, ttl: 60, data: [txt] }] };
      },
    });
    tmp = await mkdtemp(join(tmpdir(), 'p15-asn-'));
    const file = join(tmp, 'asn-test.mmdb');
    await writeFile(
      file,
      buildMmdb([
        { network: '8.8.8.0/24', data: { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' } },
        { network: '2001:4860::/32', data: { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' } },
        { network: '1.0.0.0/24', data: { asn: 'AS13335', name: 'Cloudflare, Inc.', domain: 'cloudflare.com' } },
      ]),
    );
    fleet = await startFleet({
      agents: [],
      hub: {
        asn: {
          offline_dir: FIXTURE,
          cymru: { resolver: dns.target, timeout: '1s' },
          mmdb: [
            { name: 'maxmind', file },
            { name: 'broken', file: join(FIXTURE, 'README.md') },
          ],
        },
      },
    });
    url = fleet.hubUrl;
  });
  afterAll(async () => {
    await fleet?.close();
    await dns?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('an IPv4 address: every source answers in the original shape', async () => {
    const { status, body } = await get(url, '/asnlookup/ip/8.8.8.8');
    expect(status).toBe(200);
    expect(body.ip).toBe('8.8.8.8');
    expect(body.result).toEqual({
      maxmind: { asn: 'AS15169', name: 'GOOGLE', err: '' },
      broken: { asn: '', name: '', err: expect.stringMatching(/README\.md is not a MaxMind DB file/) },
      offline: { asn: 'AS15169', name: 'Google LLC', err: '' },
      cymru: { asn: 'AS15169', name: 'GOOGLE - Google LLC, US', err: '' },
      asndb: { asn: 'AS15169', name: '', err: 'ASN not found' },
    });
    expect(body.summary).toEqual({ asn: 'AS15169', name: 'GOOGLE', source: 'maxmind' });
    expect(dns.queries.map((q) => q.name.toLowerCase())).toContain('8.8.8.8.origin.asn.cymru.com');
  });

  test('an IPv6 address, from Cymru\'s origin6 zone and the mmdb and offline tables', async () => {
    const { body } = await get(url, '/asnlookup/ip/2001:4860::8888');
    const result = body.result as Record<string, { asn: string }>;
    expect(result.cymru?.asn).toBe('AS15169');
    expect(result.maxmind?.asn).toBe('AS15169');
    expect(result.offline?.asn).toBe('AS15169');
  });

  test('ipinfo-shaped mmdb records are read too', async () => {
    const { body } = await get(url, '/asnlookup/ip/1.0.0.1');
    expect((body.result as Record<string, unknown>).maxmind).toEqual({ asn: 'AS13335', name: 'Cloudflare, Inc.', err: '' });
  });

  test('a malformed Cymru answer is that source\'s err; the others still answer', async () => {
    const { status, body } = await get(url, '/asnlookup/ip/193.0.6.139');
    expect(status).toBe(200);
    const result = body.result as Record<string, { asn: string; err: string }>;
    expect(result.cymru).toEqual({ asn: '', name: '', err: expect.stringMatching(/malformed origin answer/) });
    expect(result.offline?.asn).toBe('AS3333');
    expect(result.maxmind).toEqual({ asn: '', name: '', err: 'ASN not found' });
  });

  test('an address no source knows: every source says so, no summary', async () => {
    const { status, body } = await get(url, '/asnlookup/ip/9.9.9.9');
    expect(status).toBe(200);
    expect(body.summary).toBeUndefined();
    expect((body.result as Record<string, { err: string }>).cymru?.err).toBe('ASN not found');
  });

  test('private, documentation and loopback addresses answer as such without any lookup', async () => {
    const before = dns.queries.length;
    for (const ip of ['192.168.1.1', '2001:db8::1', '127.0.0.1', '100.64.1.1']) {
      const { status, body } = await get(url, `/asnlookup/ip/${ip}`);
      expect(status).toBe(200);
      expect(body.special).toMatchObject({ kind: expect.any(String), rfc: expect.stringMatching(/^RFC/) });
      for (const a of Object.values(body.result as Record<string, { asn: string; err: string }>)) {
        expect(a.asn).toBe('');
        expect(a.err).toMatch(/not routed on the internet/);
      }
    }
    expect(dns.queries.length).toBe(before);
  });

  test('lookup by ASN: names from Cymru, the offline table and asndb', async () => {
    const { status, body } = await get(url, '/asnlookup/asn/AS15169');
    expect(status).toBe(200);
    expect(body).toEqual({
      asn: 'AS15169',
      result: {
        offline: { asn: 'AS15169', name: 'Google LLC', err: '' },
        cymru: { asn: 'AS15169', name: 'GOOGLE - Google LLC, US', err: '' },
        asndb: { asn: 'AS15169', name: '', err: 'ASN not found' },
      },
    });
    const dtag = await get(url, '/asnlookup/asn/3320');
    expect((dtag.body.result as Record<string, { err: string }>).offline?.err).toBe('ASN not found');
  });

  test('bad input: not an IP, an ASN out of range, a bad asndb body, all 400 with the reason', async () => {
    for (const [path, reason] of [
      ['/asnlookup/ip/example.org', /not an IP address/],
      ['/asnlookup/ip/1.2.3.999', /not an IP address/],
      ['/asnlookup/asn/AS4294967296', /out of range/],
      ['/asnlookup/asn/ASfoo', /not an AS number/],
      ['/asndb/0', /reserved/],
    ] as const) {
      const { status, body } = await get(url, path);
      expect(status, path).toBe(400);
      expect((body.error as { code: string; message: string }).message).toMatch(reason);
    }
    for (const bad of [{}, { name: '' }, { name: 'x', colour: 'red' }, { name: 5 }, [1], { name: 'x'.repeat(300) }]) {
      const r = await send(url, 'PUT', '/asndb/AS64500', bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((r.body as { error: { code: string } }).error.code).toBe('PULSE_BAD_REQUEST');
    }
  });

  test('asndb: create, read, list, replace, delete; its name wins in lookups; kept across a restart', async () => {
    expect((await send(url, 'GET', '/asndb/AS15169')).status).toBe(404);
    const created = await send(url, 'PUT', '/asndb/AS15169', { name: 'Google (our transit peer)', notes: 'peering at AMS-IX' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ asn: 'AS15169', name: 'Google (our transit peer)', notes: 'peering at AMS-IX' });
    expect((await send(url, 'PUT', '/asndb/13335', { name: 'Cloudflare' })).status).toBe(201);
    expect((await send(url, 'PUT', '/asndb/13335', { name: 'Cloudflare CDN' })).status).toBe(200);

    const lookup = await get(url, '/asnlookup/ip/8.8.8.8');
    expect((lookup.body.result as Record<string, unknown>).asndb).toEqual({ asn: 'AS15169', name: 'Google (our transit peer)', err: '' });
    expect(lookup.body.summary).toMatchObject({ asn: 'AS15169', name: 'Google (our transit peer)' });

    await fleet.restartHub();
    const list = await get(url, '/asndb/');
    expect((list.body.entries as Array<{ asn: string; name: string }>).map((e) => `${e.asn} ${e.name}`)).toEqual([
      'AS13335 Cloudflare CDN',
      'AS15169 Google (our transit peer)',
    ]);
    expect((await send(url, 'DELETE', '/asndb/AS13335')).status).toBe(204);
    expect((await send(url, 'DELETE', '/asndb/AS13335')).status).toBe(404);
    expect(((await get(url, '/asndb/')).body.entries as unknown[]).length).toBe(1);
  });
});
