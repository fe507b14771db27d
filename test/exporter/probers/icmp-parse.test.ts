import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPingArgs } from '../../../exporter/probers/icmp/args.js';
import { packetsSent, parsePingOutput, pingFailureReason } from '../../../exporter/probers/icmp/parse.js';
import { chooseTargetAddress } from '../../../exporter/probers/shared/target-address.js';
import { rttStats } from '../../../exporter/probers/shared/rtt-stats.js';
import type { Lookup } from '../../../exporter/probers/shared/address.js';
import { adHocModule } from '../../../lib/config/adhoc.js';
import type { IcmpOptions } from '../../../lib/config/probers/icmp.js';

/**
 * Output of iputils ping 20221126 run with LC_ALL=C: loopback-3 and ipv6-2 on loopback, ping-ttl
 * and ping-noreply over the test netns path (TTL 1; far end dropping echo requests),
 * short-payload with `-s 8`, interrupted is the part a SIGINT-ed run had printed.
 */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/ping', name), 'utf8');
const defaults = (o: Record<string, unknown> = {}) => adHocModule('icmp', o).icmp as IcmpOptions;

describe('ping output parser (recorded iputils 20221126 output)', () => {
  it('reads each reply with its sequence, TTL and RTT, and the summary', () => {
    const out = parsePingOutput(fixture('loopback-3.txt'));
    expect(out.started).toBe(true);
    expect(out.replies).toEqual([
      { from: '127.0.0.1', seq: 1, ttl: 64, rttSeconds: 0.000179 },
      { from: '127.0.0.1', seq: 2, ttl: 64, rttSeconds: 0.000035 },
      { from: '127.0.0.1', seq: 3, ttl: 64, rttSeconds: 0.000036 },
    ]);
    expect(out.transmitted).toBe(3);
    expect(packetsSent(out)).toBe(3);
  });

  it('reads IPv6 replies, whose address contains colons', () => {
    const out = parsePingOutput(fixture('ipv6-2.txt'));
    expect(out.replies.map((r) => [r.from, r.seq, r.ttl])).toEqual([
      ['::1', 1, 64],
      ['::1', 2, 64],
    ]);
  });

  it('reports ICMP errors instead of replies (TTL exceeded on a netns path)', () => {
    const out = parsePingOutput(fixture('ping-ttl.txt'));
    expect(out.replies).toEqual([]);
    expect(out.errors).toEqual([
      { from: '10.231.0.2', seq: 1, message: 'Time to live exceeded' },
      { from: '10.231.0.2', seq: 2, message: 'Time to live exceeded' },
    ]);
    expect(packetsSent(out)).toBe(2);
  });

  it('counts silent loss from the summary', () => {
    const out = parsePingOutput(fixture('ping-noreply.txt'));
    expect(out.replies).toEqual([]);
    expect(out.errors).toEqual([]);
    expect(packetsSent(out)).toBe(3);
  });

  it('keeps the replies of a run cut short before its summary', () => {
    const out = parsePingOutput(fixture('interrupted.txt'));
    expect(out.transmitted).toBeUndefined();
    expect(out.replies).toHaveLength(2);
    expect(packetsSent(out)).toBe(2);
  });

  it('accepts a reply without time= (payload too small for a timestamp) as a reply without RTT', () => {
    const out = parsePingOutput(fixture('short-payload.txt'));
    expect(out.replies).toHaveLength(1);
    expect(out.replies[0]!.rttSeconds).toBeNaN();
  });

  it('does not count duplicate replies twice', () => {
    const out = parsePingOutput(
      [
        'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.',
        '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.050 ms',
        '64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.090 ms (DUP!)',
        '',
        '--- 127.0.0.1 ping statistics ---',
        '1 packets transmitted, 1 received, +1 duplicates, 0% packet loss, time 0ms',
      ].join('\n'),
    );
    expect(out.replies).toHaveLength(1);
    expect(out.duplicates).toBe(1);
  });

  it('turns a missing privilege into a reason that says what to grant', () => {
    const stderr = [
      'ping: socktype: SOCK_RAW',
      'ping: socket: Operation not permitted',
      'ping: => missing cap_net_raw+p capability or setuid?',
    ].join('\n');
    const reason = pingFailureReason(stderr)!;
    expect(reason).toContain('CAP_NET_RAW');
    expect(reason).toContain('net.ipv4.ping_group_range');
    expect(reason).toContain('socket: Operation not permitted');
    expect(pingFailureReason('')).toBeUndefined();
    expect(pingFailureReason('ping: bind icmp socket: Cannot assign requested address\n')).toBe(
      'ping: bind icmp socket: Cannot assign requested address',
    );
  });
});

describe('ping arguments', () => {
  it('one packet by default, no interval, the literal after --', () => {
    expect(buildPingArgs(defaults(), '127.0.0.1', 4, 1)).toEqual(['-n', '-4', '-c', '1', '--', '127.0.0.1']);
  });

  it('maps every blackbox option and the multi-packet ones', () => {
    const opts = defaults({ packets: 5, interval: '200ms', payload_size: 100, ttl: 9, dont_fragment: true, source_ip_address: '::1' });
    expect(buildPingArgs(opts, '::1', 6, 0.2)).toEqual([
      '-n', '-6', '-c', '5', '-i', '0.2', '-s', '100', '-t', '9', '-M', 'do', '-I', '::1', '--', '::1',
    ]);
  });

  it('raises a payload below 16 bytes so ping can still time the reply', () => {
    expect(buildPingArgs(defaults({ payload_size: 4 }), '127.0.0.1', 4, 1)).toContain('16');
  });
});

describe('address choice (blackbox chooseProtocol)', () => {
  const never = new AbortController().signal;
  const dual: Lookup = async () => [
    { address: '192.0.2.10', family: 4 },
    { address: '2001:db8::10', family: 6 },
  ];
  const v4only: Lookup = async () => [{ address: '192.0.2.10', family: 4 }];

  it('prefers the preferred family and falls back when allowed', async () => {
    expect((await chooseTargetAddress(undefined, 'dual.test', 6, true, never, dual)).address).toBe('2001:db8::10');
    expect((await chooseTargetAddress(undefined, 'dual.test', 4, true, never, dual)).address).toBe('192.0.2.10');
    expect((await chooseTargetAddress(undefined, 'v4.test', 6, true, never, v4only)).address).toBe('192.0.2.10');
    await expect(chooseTargetAddress(undefined, 'v4.test', 6, false, never, v4only)).rejects.toThrow(/no IPv6 address/);
  });

  it('takes literals as they are, refusing the other family without fallback', async () => {
    expect(await chooseTargetAddress(undefined, '127.0.0.1', 6, true, never, dual)).toMatchObject({ address: '127.0.0.1', family: 4 });
    await expect(chooseTargetAddress(undefined, '127.0.0.1', 6, false, never, dual)).rejects.toThrow(/IPv4 address/);
  });

  it('stops waiting for a lookup when the probe is aborted', async () => {
    const ctl = new AbortController();
    const hanging: Lookup = () => new Promise(() => {});
    const p = chooseTargetAddress(undefined, 'slow.test', 6, true, ctl.signal, hanging);
    ctl.abort();
    await expect(p).rejects.toThrow(/timed out/);
  });
});

describe('RTT statistics', () => {
  it('min/avg/max, population and sample stddev, and jitter', () => {
    const s = rttStats([0.001, 0.003, 0.002])!;
    expect(s.min).toBe(0.001);
    expect(s.max).toBe(0.003);
    expect(s.avg).toBeCloseTo(0.002, 12);
    expect(s.last).toBe(0.002);
    expect(s.stddev).toBeCloseTo(Math.sqrt(2e-6 / 3), 12);
    expect(s.stddevSample).toBeCloseTo(0.001, 12);
    expect(s.jitter).toBeCloseTo(0.0015, 12);
    expect(s.jitterMax).toBeCloseTo(0.002, 12);
    expect(rttStats([])).toBeUndefined();
    expect(rttStats([0.5])).toMatchObject({ stddev: 0, stddevSample: 0, jitter: 0 });
  });
});
