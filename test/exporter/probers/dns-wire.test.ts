import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { formatIPv6, formatRecord } from '../../../exporter/probers/dns/rdata.js';
import { parseResponse, soaSerial } from '../../../exporter/probers/dns/response.js';
import { DnsWireError, decodeMessage } from '../../../exporter/probers/dns/wire.js';

/** A response built by dns-packet, an encoder independent of the decoder under test. */
function response(answers: dnsPacket.Answer[], extra: Partial<dnsPacket.Packet> = {}): Buffer {
  return dnsPacket.encode({ type: 'response', id: 4242, flags: 0, questions: [{ name: 'example.org', type: 'A' }], answers, ...extra });
}

function texts(msg: Buffer): string[] {
  return parseResponse(msg).answer.map((r) => r.text);
}

describe('record text as miekg/dns prints it', () => {
  it('formats address, name and preference records', () => {
    const msg = response([
      { type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.1' },
      { type: 'AAAA', name: 'example.org', ttl: 300, data: '2001:db8::1' },
      { type: 'NS', name: 'example.org', ttl: 86400, data: 'ns1.example.org' },
      { type: 'CNAME', name: 'www.example.org', ttl: 60, data: 'example.org' },
      { type: 'PTR', name: '1.2.0.192.in-addr.arpa', ttl: 60, data: 'host.example.org' },
      { type: 'MX', name: 'example.org', ttl: 300, data: { preference: 10, exchange: 'mx.example.org' } },
      { type: 'SRV', name: '_sip._tcp.example.org', ttl: 300, data: { priority: 1, weight: 5, port: 5060, target: 'sip.example.org' } },
    ]);
    expect(texts(msg)).toEqual([
      'example.org.\t300\tIN\tA\t192.0.2.1',
      'example.org.\t300\tIN\tAAAA\t2001:db8::1',
      'example.org.\t86400\tIN\tNS\tns1.example.org.',
      'www.example.org.\t60\tIN\tCNAME\texample.org.',
      '1.2.0.192.in-addr.arpa.\t60\tIN\tPTR\thost.example.org.',
      'example.org.\t300\tIN\tMX\t10 mx.example.org.',
      '_sip._tcp.example.org.\t300\tIN\tSRV\t1 5 5060 sip.example.org.',
    ]);
    const mx = parseResponse(msg).answer[5]!;
    expect(mx).toMatchObject({ name: 'example.org.', type: 'MX', class: 'IN', ttl: 300, data: '10 mx.example.org.' });
    expect(parseResponse(msg).answer[0]!.data).toBe('192.0.2.1');
  });

  it('quotes TXT strings and escapes quotes, backslashes and non-printable bytes', () => {
    const msg = response([
      { type: 'TXT', name: 'example.org', ttl: 1, data: ['v=spf1 -all', 'say "hi"\\', Buffer.from([0x09, 0xe9])] },
    ]);
    const [txt] = parseResponse(msg).answer;
    expect(txt!.text).toBe('example.org.\t1\tIN\tTXT\t"v=spf1 -all" "say \\"hi\\"\\\\" "\\009\\233"');
    expect((txt!.data as string[]).slice(0, 2)).toEqual(['v=spf1 -all', 'say "hi"\\']);
  });

  it('gives SOA fields as an object and its serial', () => {
    const soa = { mname: 'ns1.example.org', rname: 'hostmaster.example.org', serial: 2024010101, refresh: 3600, retry: 900, expire: 604800, minimum: 300 };
    const msg = response([{ type: 'SOA', name: 'example.org', ttl: 3600, data: soa }]);
    const [rr] = parseResponse(msg).answer;
    expect(rr!.text).toBe('example.org.\t3600\tIN\tSOA\tns1.example.org. hostmaster.example.org. 2024010101 3600 900 604800 300');
    expect(rr!.data).toEqual({ ...soa, mname: 'ns1.example.org.', rname: 'hostmaster.example.org.' });
    expect(soaSerial(parseResponse(msg).answer)).toBe(2024010101);
    expect(soaSerial([])).toBe(0);
  });

  it('formats CAA, HINFO, NAPTR and the DNSSEC family', () => {
    const key = Buffer.from('AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29', 'base64');
    const msg = response([
      { type: 'CAA', name: 'example.org', ttl: 1, data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
      { type: 'HINFO', name: 'example.org', ttl: 1, data: { cpu: 'INTEL-386', os: 'Linux' } },
      {
        type: 'NAPTR',
        name: 'example.org',
        ttl: 1,
        data: { order: 100, preference: 10, flags: 'U', services: 'E2U+sip', regexp: '!^.*$!sip:info@example.org!', replacement: '.' },
      },
      { type: 'DS', name: 'example.org', ttl: 1, data: { keyTag: 12345, algorithm: 13, digestType: 2, digest: Buffer.from('abcdef01', 'hex') } },
      { type: 'DNSKEY', name: 'example.org', ttl: 1, data: { flags: 257, algorithm: 13, key } },
      { type: 'SSHFP', name: 'example.org', ttl: 1, data: { algorithm: 4, hash: 1, fingerprint: 'aa'.repeat(20) } },
      { type: 'TLSA', name: '_443._tcp.example.org', ttl: 1, data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('00ff', 'hex') } },
      { type: 'NSEC', name: 'example.org', ttl: 1, data: { nextDomain: 'a.example.org', rrtypes: ['A', 'MX', 'RRSIG', 'NSEC', 'CAA'] } },
      {
        type: 'RRSIG',
        name: 'example.org',
        ttl: 1,
        data: {
          typeCovered: 'A',
          algorithm: 13,
          labels: 2,
          originalTTL: 300,
          expiration: Date.UTC(2030, 0, 2, 3, 4, 5) / 1000,
          inception: Date.UTC(2029, 11, 1) / 1000,
          keyTag: 4321,
          signersName: 'example.org',
          signature: Buffer.from('c2ln', 'base64'),
        },
      },
    ]);
    expect(texts(msg).map((t) => t.split('\t').slice(3).join('\t'))).toEqual([
      'CAA\t0 issue "letsencrypt.org"',
      'HINFO\t"INTEL-386" "Linux"',
      'NAPTR\t100 10 "U" "E2U+sip" "!^.*$!sip:info@example.org!" .',
      'DS\t12345 13 2 ABCDEF01',
      `DNSKEY\t257 3 13 ${key.toString('base64')}`,
      `SSHFP\t4 1 ${'AA'.repeat(20)}`,
      'TLSA\t3 1 1 00ff',
      'NSEC\ta.example.org. A MX RRSIG NSEC CAA',
      'RRSIG\tA 13 2 300 20300102030405 20291201000000 4321 example.org. c2ln',
    ]);
  });

  it('prints types it does not know in RFC 3597 generic form', () => {
    const msg = response([{ type: 'UNKNOWN_65000' as 'A', name: 'example.org', ttl: 5, data: Buffer.from([1, 2, 0xab]) as unknown as string }]);
    const [rr] = parseResponse(msg).answer;
    expect(rr!.text).toBe('example.org.\t5\tCLASS1\tTYPE65000\t\\# 3 0102ab');
    expect(rr!.type).toBe('TYPE65000');
  });
});

describe('IPv6 text like Go net.IP', () => {
  const v6 = (s: string) => Buffer.from(s.replace(/:/g, ''), 'hex');
  it('compresses the longest zero run, never a single group, and prints mapped IPv4 as IPv4', () => {
    expect(formatIPv6(v6('2001:0db8:0000:0000:0001:0000:0000:0000'))).toBe('2001:db8:0:0:1::');
    expect(formatIPv6(v6('2001:0db8:0000:0001:0001:0001:0001:0001'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIPv6(v6('0000:0000:0000:0000:0000:0000:0000:0001'))).toBe('::1');
    expect(formatIPv6(v6('0000:0000:0000:0000:0000:0000:0000:0000'))).toBe('::');
    expect(formatIPv6(v6('2001:0db8:0000:0000:0001:0000:0000:0001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6(v6('0000:0000:0000:0000:0000:ffff:c000:0201'))).toBe('192.0.2.1');
  });
});

describe('decoding the message', () => {
  it('reads header flags, rcode and section counts', () => {
    const flags = dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | 3;
    const msg = response([], {
      flags,
      authorities: [{ type: 'NS', name: 'org', ttl: 1, data: 'a.org' }],
      additionals: [{ type: 'A', name: 'a.org', ttl: 1, data: '192.0.2.53' }],
    });
    const r = parseResponse(msg);
    expect(r).toMatchObject({ id: 4242, rcode: 'NXDOMAIN', flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false } });
    expect([r.answer.length, r.authority.length, r.additional.length]).toEqual([0, 1, 1]);
  });

  it('follows compression pointers and escapes special bytes in labels as miekg does', () => {
    // Hand-made: question "a b.example." then an A record whose owner is a pointer to it.
    const header = Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
    const qname = Buffer.from([3, 0x61, 0x20, 0x62, 7, ...Buffer.from('example'), 0]);
    const question = Buffer.concat([qname, Buffer.from([0, 1, 0, 1])]);
    const rr = Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1]);
    const msg = Buffer.concat([header, question, rr]);
    const m = decodeMessage(msg);
    expect(m.questions[0]).toEqual({ name: 'a\\ b.example.', type: 1, class: 1 });
    expect(formatRecord(msg, m.answer[0]!).text).toBe('a\\ b.example.\t60\tIN\tA\t10.0.0.1');
  });

  it('uses the OPT record for extended rcodes', () => {
    const msg = response([], { flags: 0, additionals: [{ type: 'OPT', name: '.', extendedRcode: 1, udpPayloadSize: 1232 } as dnsPacket.Answer] });
    expect(parseResponse(msg).rcode).toBe('BADSIG');
  });

  it('refuses truncated, looping and inconsistent messages', () => {
    expect(() => decodeMessage(Buffer.alloc(5))).toThrow(DnsWireError);
    const ok = response([{ type: 'A', name: 'example.org', ttl: 1, data: '192.0.2.1' }]);
    expect(() => parseResponse(ok.subarray(0, ok.length - 2))).toThrow(/runs past the end/);
    const loop = Buffer.concat([Buffer.from([0, 1, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]);
    expect(() => decodeMessage(loop)).toThrow(/compression pointers/);
    // An A record with 3 bytes of rdata.
    const shortA = Buffer.concat([
      Buffer.from([0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
      Buffer.from([0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3]),
    ]);
    expect(() => parseResponse(shortA)).toThrow(/shorter than its type requires/);
  });
});
