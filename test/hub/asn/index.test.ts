import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { asnSources } from '../../../hub/asn/build.js';
import { addCsv } from '../../../hub/asn/csv.js';
import { parseConfig } from '../../../lib/config/load.js';
import { asnQueryName, originQueryName, parseAsName, parseOrigin } from '../../../hub/asn/cymru.js';
import { numberToIpv4, parseIp } from '../../../hub/asn/ip.js';
import { loadOfflineIndex, offlinePackageDir } from '../../../hub/asn/offline.js';
import { parseAsn } from '../../../hub/asn/parse-asn.js';
import { AsnRangeIndexBuilder } from '../../../hub/asn/range-index.js';
import { SpecialAddresses } from '../../../hub/asn/special.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/asn');

describe('addresses', () => {
  test('IPv4, IPv6 in every spelling, and IPv4-mapped IPv6 parse to the same numbers', () => {
    expect(parseIp('1.2.3.4')).toEqual({ family: 4, value: 0x01020304 });
    expect(parseIp('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304 });
    expect(parseIp('2001:db8::1')).toEqual({ family: 6, words: [0x20010db8, 0, 0, 1] });
    expect(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual(parseIp('2001:db8::1'));
    expect(parseIp('::')).toEqual({ family: 6, words: [0, 0, 0, 0] });
    expect(parseIp('64:ff9b::192.0.2.33')).toEqual({ family: 6, words: [0x0064ff9b, 0, 0, 0xc0000221] });
    expect(numberToIpv4(0xffffffff)).toBe('255.255.255.255');
    for (const bad of ['1.2.3', '1.2.3.256', 'example.org', '', '::1%eth0', '[::1]', '1.2.3.4/24']) expect(parseIp(bad)).toBeUndefined();
  });

  test('private, reserved and documentation addresses are classified, public ones are not', () => {
    const s = new SpecialAddresses();
    const kind = (ip: string) => s.classify(parseIp(ip)!)?.kind;
    expect(kind('10.1.2.3')).toBe('private');
    expect(kind('172.31.255.255')).toBe('private');
    expect(kind('172.32.0.1')).toBeUndefined();
    expect(kind('192.168.0.1')).toBe('private');
    expect(kind('100.64.0.1')).toBe('shared');
    expect(kind('127.0.0.1')).toBe('loopback');
    expect(kind('169.254.169.254')).toBe('link-local');
    expect(kind('192.0.2.1')).toBe('documentation');
    expect(kind('198.51.100.7')).toBe('documentation');
    expect(kind('203.0.113.255')).toBe('documentation');
    expect(kind('255.255.255.255')).toBe('reserved');
    expect(kind('224.0.0.1')).toBe('multicast');
    expect(kind('::1')).toBe('loopback');
    expect(kind('2001:db8:1::5')).toBe('documentation');
    expect(kind('fd00::1')).toBe('unique-local');
    expect(kind('fe80::1')).toBe('link-local');
    expect(kind('::ffff:10.0.0.1')).toBe('private');
    expect(kind('1.1.1.1')).toBeUndefined();
    expect(kind('2606:4700::1111')).toBeUndefined();
    expect(s.classify(parseIp('192.0.2.1')!)?.rfc).toBe('RFC 5737');
  });

  test('AS numbers: AS prefix optional, 1 to 2^32-1', () => {
    expect(parseAsn('AS3320')).toBe(3320);
    expect(parseAsn('as3320')).toBe(3320);
    expect(parseAsn('4294967295')).toBe(4294967295);
    expect(() => parseAsn('4294967296')).toThrow(/out of range/);
    expect(() => parseAsn('AS0')).toThrow(/reserved/);
    expect(() => parseAsn('ASX')).toThrow(/not an AS number/);
    expect(() => parseAsn('-1')).toThrow(/not an AS number/);
  });
});

describe('the range index', () => {
  test('a fixture table out of order: sorted, quoted names read, a bad line counted', async () => {
    const b = new AsnRangeIndexBuilder();
    const v4 = addCsv(b, await readFile(join(FIXTURE, 'asn-ipv4-num.csv'), 'utf8'), 4);
    const v6 = addCsv(b, await readFile(join(FIXTURE, 'asn-ipv6.csv'), 'utf8'), 6);
    expect(v4).toEqual({ rows: 4, bad: 1 });
    expect(v6).toEqual({ rows: 2, bad: 0 });
    const index = b.build();
    const at = (ip: string) => index.lookup(parseIp(ip)!);
    expect(at('1.0.0.0')).toEqual({ asn: 13335, name: 'Cloudflare, Inc.' });
    expect(at('1.0.0.255')).toEqual({ asn: 13335, name: 'Cloudflare, Inc.' });
    expect(at('1.0.1.0')).toBeUndefined();
    expect(at('0.255.255.255')).toBeUndefined();
    expect(at('8.8.8.8')?.asn).toBe(15169);
    expect(at('193.0.6.139')?.asn).toBe(3333);
    expect(at('192.168.1.1')?.name).toBe('Should "never" be seen (private range)');
    expect(at('255.255.255.255')).toBeUndefined();
    expect(at('2001:4860:4860::8888')).toEqual({ asn: 15169, name: 'Google LLC' });
    expect(at('2606:4700:ffff:ffff:ffff:ffff:ffff:ffff')?.asn).toBe(13335);
    expect(at('2606:4701::')).toBeUndefined();
    expect(at('::')).toBeUndefined();
    expect(index.nameOf(3333)).toMatch(/RIPE NCC/);
    expect(index.size).toEqual({ v4: 4, v6: 2, asns: 4 });
  });

  test('CSV with dotted quads (the non-numeric files) and CRLF line ends', () => {
    const b = new AsnRangeIndexBuilder();
    expect(addCsv(b, '1.0.0.0,1.0.0.255,13335,Cloudflare\r\n9.9.9.0,9.9.9.255,19281,Quad9\r\n1.2.3.4,1.2.3.0,1,end before start\r\n', 4)).toEqual({ rows: 2, bad: 1 });
    expect(b.build().lookup(parseIp('9.9.9.9')!)).toEqual({ asn: 19281, name: 'Quad9' });
  });

  test('the real table from the @ip-location-db/asn package loads and answers', async () => {
    const dir = offlinePackageDir();
    expect(dir, 'the optional dependency @ip-location-db/asn is installed by npm ci').toBeDefined();
    const loaded = await loadOfflineIndex(dir!);
    expect(loaded.bad).toBe(0);
    expect(loaded.index.size.v4).toBeGreaterThan(100_000);
    expect(loaded.index.size.v6).toBeGreaterThan(10_000);
    // Anycast resolvers whose origin has not changed in a decade.
    expect(loaded.index.lookup(parseIp('1.1.1.1')!)?.asn).toBe(13335);
    expect(loaded.index.lookup(parseIp('8.8.8.8')!)?.asn).toBe(15169);
    expect(loaded.index.lookup(parseIp('2001:4860:4860::8888')!)?.asn).toBe(15169);
  }, 60_000);
});

describe('Team Cymru DNS format', () => {
  test('query names for IPv4, IPv6 and AS names', () => {
    expect(originQueryName(parseIp('1.2.3.4')!)).toBe('4.3.2.1.origin.asn.cymru.com');
    expect(originQueryName(parseIp('2001:4860::8888')!)).toBe(
      '8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.1.0.0.2.origin6.asn.cymru.com',
    );
    expect(asnQueryName(15169)).toBe('AS15169.asn.cymru.com');
  });

  test('answers parsed; several origins take the first; malformed ones throw', () => {
    expect(parseOrigin([['15169 | 8.8.8.0/24 | US | arin | 1992-12-01']])).toBe(15169);
    expect(parseOrigin([['13335 209242 | 1.1.1.0/24 | AU | apnic | 2011-08-11']])).toBe(13335);
    expect(parseAsName([['15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US']])).toBe('GOOGLE - Google LLC, US');
    expect(() => parseOrigin([['hello']])).toThrow(/malformed/);
    expect(() => parseOrigin([])).toThrow(/empty/);
    expect(() => parseAsName([['15169 | US']])).toThrow(/malformed/);
  });
});

describe('hub.asn config', () => {
  test('without hub.asn only the offline table is asked: Cymru is off unless configured', () => {
    expect(asnSources(undefined).map((s) => s.name)).toEqual(['offline']);
    expect(asnSources(parseConfig('hub:\n  asn:\n    offline: false\n').hub.asn).map((s) => s.name)).toEqual([]);
    const cfg = parseConfig('hub:\n  asn:\n    cymru: {resolver: "127.0.0.1:5353"}\n    mmdb: [{name: ipinfo, file: /x.mmdb}]\n').hub.asn;
    expect(asnSources(cfg).map((s) => s.name)).toEqual(['ipinfo', 'offline', 'cymru']);
  });

  test('a bad resolver or a taken source name is refused with file, line and key', () => {
    expect(() => parseConfig('hub:\n  asn:\n    cymru:\n      resolver: resolver.example\n', 'p.yml')).toThrow(/p\.yml:4: hub\.asn\.cymru\.resolver/);
    expect(() => parseConfig('hub:\n  asn:\n    mmdb:\n      - {name: cymru, file: /x}\n', 'p.yml')).toThrow(/p\.yml:4: hub\.asn\.mmdb\[0\]\.name/);
    expect(() => parseConfig('hub:\n  asn:\n    colour: red\n', 'p.yml')).toThrow(/p\.yml:3: hub\.asn/);
  });
});
