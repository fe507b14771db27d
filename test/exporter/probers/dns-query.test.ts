import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { encodeQuery, fqdn, queryNameError } from '../../../exporter/probers/dns/query.js';
import { parseResolver } from '../../../exporter/probers/dns/target.js';
import type { DnsOptions } from '../../../lib/config/probers/dns.js';
import { parseQueryType } from '../../../lib/config/probers/dns-names.js';

describe('encodeQuery', () => {
  it('builds one question that an independent decoder reads back', () => {
    const msg = encodeQuery(0xbeef, { name: 'www.example.org.', type: 28, class: 1 }, true);
    const p = dnsPacket.decode(msg);
    expect(p.id).toBe(0xbeef);
    expect(p.type).toBe('query');
    expect(p.flag_rd).toBe(true);
    expect(p.questions).toEqual([{ name: 'www.example.org', type: 'AAAA', class: 'IN' }]);
    expect(p.answers).toEqual([]);
    expect(p.additionals).toEqual([]);
  });

  it('clears RD on request and asks the root', () => {
    const p = dnsPacket.decode(encodeQuery(1, { name: '.', type: 2, class: 3 }, false));
    expect(p.flag_rd).toBe(false);
    expect(p.questions).toEqual([{ name: '.', type: 'NS', class: 'CH' }]);
  });
});

describe('queryNameError', () => {
  it('accepts names, the root, wildcards, underscores and RFC 2317 labels', () => {
    for (const ok of ['example.org', 'example.org.', '.', '*.example.org', '_dmarc.example.org', '0/25.2.0.192.in-addr.arpa', 'a'.repeat(63)]) {
      expect(queryNameError(ok), ok).toBeUndefined();
    }
  });

  it('refuses empty labels, long labels, long names and invalid characters', () => {
    expect(queryNameError('a..b')).toMatch(/empty label/);
    expect(queryNameError(`${'a'.repeat(64)}.org`)).toMatch(/longer than 63/);
    expect(queryNameError(`${'abcdefghi.'.repeat(26)}org`)).toMatch(/longer than 253/);
    expect(queryNameError('exa mple.org')).toMatch(/invalid label "exa mple"/);
    expect(queryNameError('bücher.example')).toMatch(/punycode/);
    expect(queryNameError('')).toMatch(/empty/);
  });

  it('fqdn adds the trailing dot once', () => {
    expect(fqdn('a.org')).toBe('a.org.');
    expect(fqdn('a.org.')).toBe('a.org.');
  });
});

describe('parseQueryType', () => {
  it('takes names, numbers and TYPEnnn', () => {
    expect(parseQueryType('AAAA')).toBe(28);
    expect(parseQueryType('mx')).toBe(15);
    expect(parseQueryType(1)).toBe(1);
    expect(parseQueryType('65000')).toBe(65000);
    expect(parseQueryType('TYPE257')).toBe(257);
    expect(parseQueryType('NOPE')).toBeUndefined();
    expect(parseQueryType(0)).toBeUndefined();
    expect(parseQueryType(70000)).toBeUndefined();
  });
});

describe('parseResolver', () => {
  const opts = (dns_over_tls: boolean) => ({ dns_over_tls }) as DnsOptions;
  it('defaults to port 53, and 853 for DNS over TLS', () => {
    expect(parseResolver('192.0.2.53', opts(false))).toEqual({ host: '192.0.2.53', port: 53 });
    expect(parseResolver('192.0.2.53', opts(true))).toEqual({ host: '192.0.2.53', port: 853 });
    expect(parseResolver('2001:db8::53', opts(false))).toEqual({ host: '2001:db8::53', port: 53 });
    expect(parseResolver('[2001:db8::53]:5353', opts(true))).toEqual({ host: '2001:db8::53', port: 5353 });
    expect(parseResolver('dns.example:5353', opts(false))).toEqual({ host: 'dns.example', port: 5353 });
    expect(parseResolver('dns example', opts(false))).toMatch(/^resolver "dns example": /);
  });
});
