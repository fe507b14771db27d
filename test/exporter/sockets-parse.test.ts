import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countByState, countProcNetTcp, formatIpv6, parseProcNetTcp, zeroCounts } from '../../exporter/sockets/parse.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/proc-net/${name}`, import.meta.url), 'latin1');

describe('/proc/net/tcp parser', () => {
  it('reads IPv4 sockets: addresses, ports and states', () => {
    const s = parseProcNetTcp(fixture('tcp'), 4);
    expect(s).toHaveLength(6);
    expect(s[0]).toEqual({ family: 4, state: 'listen', local: { address: '0.0.0.0', port: 8080 }, remote: { address: '0.0.0.0', port: 0 } });
    expect(s[1]).toEqual({ family: 4, state: 'established', local: { address: '127.0.0.1', port: 8080 }, remote: { address: '127.0.0.1', port: 50000 } });
    expect(s[4]).toMatchObject({ state: 'syn_sent', local: { address: '10.0.2.15', port: 54321 }, remote: { address: '203.0.113.7', port: 443 } });
    expect(s.map((x) => x.state)).toEqual(['listen', 'established', 'established', 'time_wait', 'syn_sent', 'close_wait']);
  });

  it('reads IPv6 sockets, IPv4-mapped ones dotted, and skips lines it cannot read', () => {
    const s = parseProcNetTcp(fixture('tcp6'), 6);
    expect(s.map((x) => [x.local.address, x.local.port, x.remote.address, x.state])).toEqual([
      ['::', 22, '::', 'listen'],
      ['::1', 80, '::1', 'time_wait'],
      ['::ffff:127.0.0.1', 8080, '::ffff:127.0.0.1', 'established'],
      ['2001:db8::1', 443, '2001:db8::2', 'closing'],
    ]);
  });

  it('reads words in big-endian order on a big-endian host', () => {
    const be = '  sl  local_address rem_address   st\n   0: 7F000001:0050 7F000001:C350 01\n';
    expect(parseProcNetTcp(be, 4, false)[0]!.local.address).toBe('127.0.0.1');
  });

  it('counts sockets by family and state, every state present', () => {
    const c = countByState([...parseProcNetTcp(fixture('tcp'), 4), ...parseProcNetTcp(fixture('tcp6'), 6)]);
    expect(c['4']).toMatchObject({ established: 2, listen: 1, time_wait: 1, syn_sent: 1, close_wait: 1, fin_wait1: 0 });
    expect(c['6']).toMatchObject({ listen: 1, time_wait: 1, established: 1, closing: 1, syn_sent: 0 });
  });

  it('counts by state without parsing addresses, to the same figures', () => {
    for (const [file, family] of [['tcp', 4], ['tcp6', 6]] as const) {
      const fast = zeroCounts();
      countProcNetTcp(fixture(file), fast);
      expect(fast).toEqual(countByState(parseProcNetTcp(fixture(file), family))[family === 4 ? '4' : '6']);
    }
  });

  it('formats IPv6 as RFC 5952 text', () => {
    const b = (hex: string) => hex.match(/../g)!.map((x) => Number.parseInt(x, 16));
    expect(formatIpv6(b('20010db8000000000001000000000001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(b('fe800000000000000000000000000000'))).toBe('fe80::');
    expect(formatIpv6(b('00010002000300040005000600070008'))).toBe('1:2:3:4:5:6:7:8');
  });
});
