import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMtrArgs } from '../../../exporter/probers/mtr/args.js';
import { type Path, pathHash, summarizePath, UNKNOWN_HOP } from '../../../exporter/probers/mtr/hops.js';
import { mtrMetrics } from '../../../exporter/probers/mtr/metrics.js';
import { parseMtrRaw } from '../../../exporter/probers/mtr/parse.js';
import { mtrFailureReason } from '../../../exporter/probers/mtr/mtr-process.js';
import { adHocModule } from '../../../lib/config/adhoc.js';
import type { MtrOptions } from '../../../lib/config/probers/mtr.js';
import { renderExposition } from '../../../lib/probe/exposition.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import { promtoolProblems, sampleValue } from '../../helpers/icmp-mtr.js';

/**
 * Recorded with mtr 0.95 (`mtr --raw -n -c N -i 0.1`) from the root namespace over the test
 * netns path (R1 10.231.0.2, R2 10.231.1.2, far end 10.231.2.2), with nft rules in the routers
 * for the lossy and silent hops; ecmp-edited.raw is three-hops.raw with a second address written
 * in for hop 2, as mtr prints a hop that answers from two routers.
 */
const FAR = '10.231.2.2';
const trace = (name: string, destination = FAR): Path =>
  summarizePath(parseMtrRaw(readFileSync(join(import.meta.dirname, '../../fixtures/mtr', name), 'utf8')), destination);

describe('mtr --raw parser and hop summary', () => {
  it('three clean hops: order, counts, RTT statistics; the probe past the destination is dropped', () => {
    const path = trace('three-hops.raw');
    expect(path.destination_reached).toBe(true);
    expect(path.hops.map((h) => [h.hop, h.ip, h.sent, h.received, h.loss_ratio])).toEqual([
      [1, '10.231.0.2', 4, 4, 0],
      [2, '10.231.1.2', 4, 4, 0],
      [3, '10.231.2.2', 4, 4, 0],
    ]);
    // Hop 1 answered in 415, 57, 56 and 59 µs; sample stddev 178.838 µs, as mtr computes StDev.
    expect(path.hops[0]!.rtt_seconds).toEqual({ last: 0.000059, best: 0.000056, avg: 0.00014675, worst: 0.000415, stddev: 0.000178838 });
    expect(path.hops[0]!.jitter_seconds).toBeCloseTo((358 + 1 + 3) / 3 / 1e6, 9);
    expect(path.hops[0]!.jitter_worst_seconds).toBeCloseTo(0.000358, 9);
    expect(path.hops[0]!.addresses).toEqual([{ ip: '10.231.0.2', received: 4 }]);
  });

  it('a router that drops every other time-exceeded shows 50% loss at its hop only', () => {
    const path = trace('lossy-hop.raw');
    expect(path.destination_reached).toBe(true);
    expect(path.hops.map((h) => [h.ip, h.sent, h.received, h.loss_ratio])).toEqual([
      ['10.231.0.2', 6, 6, 0],
      ['10.231.1.2', 6, 3, 0.5],
      ['10.231.2.2', 6, 6, 0],
    ]);
  });

  it.each(['silent-hop.raw', 'udp-silent-hop.raw'])('%s: a hop that never answers is "???" with loss 1 and no RTT', (name) => {
    const path = trace(name);
    expect(path.destination_reached).toBe(true);
    const silent = path.hops[0]!;
    expect(silent).toMatchObject({ hop: 1, ip: UNKNOWN_HOP, sent: 3, received: 0, loss_ratio: 1, rtt_seconds: null, jitter_seconds: null });
    expect(silent.addresses).toEqual([]);
    expect(path.hops.map((h) => h.ip)).toEqual([UNKNOWN_HOP, '10.231.1.2', '10.231.2.2']);
  });

  it('a destination that never answers: one silent hop past the last answering one, as mtr shows', () => {
    const path = trace('unreached.raw');
    expect(path.destination_reached).toBe(false);
    expect(path.hops.map((h) => [h.hop, h.ip, h.sent, h.received])).toEqual([
      [1, UNKNOWN_HOP, 2, 0],
      [2, '10.231.1.2', 2, 2],
      [3, UNKNOWN_HOP, 2, 0],
    ]);
  });

  it('keeps reverse-DNS names when mtr resolved them', () => {
    const path = trace('hostnames.raw', '127.0.0.1');
    expect(path.hops).toHaveLength(1);
    expect(path.hops[0]).toMatchObject({ ip: '127.0.0.1', hostname: 'localhost', sent: 2, received: 2 });
    expect(path.hops[0]!.addresses).toEqual([{ ip: '127.0.0.1', hostname: 'localhost', received: 2 }]);
  });

  it('a hop answering from two addresses lists both, and labels the busiest (first on a tie)', () => {
    const hop = trace('ecmp-edited.raw').hops[1]!;
    expect(hop.ip).toBe('10.231.1.2');
    expect(hop.addresses).toEqual([
      { ip: '10.231.1.2', received: 2 },
      { ip: '10.231.9.2', received: 2 },
    ]);
    expect(hop.loss_ratio).toBe(0);
  });

  it('ignores lines it does not know and garbage', () => {
    expect(parseMtrRaw('garbage\nm 0 1 2 3 4\nx notanumber 1\np 0 12x 3\nx 0 33000\n\n')).toEqual([
      { index: 0, sent: 1, replies: [], addresses: [], hostnames: {} },
    ]);
  });
});

describe('path hash', () => {
  it('is stable across loss, and changes when a hop changes', () => {
    const clean = pathHash(trace('three-hops.raw').hops);
    expect(pathHash(trace('three-hops.raw').hops)).toBe(clean);
    expect(pathHash(trace('lossy-hop.raw').hops)).toBe(clean);
    expect(pathHash(trace('silent-hop.raw').hops)).not.toBe(clean);
    expect(pathHash(trace('ecmp-edited.raw').hops)).not.toBe(clean);
    expect(Number.isInteger(clean)).toBe(true);
    expect(clean).toBeGreaterThanOrEqual(0);
    expect(clean).toBeLessThan(2 ** 32);
  });
});

describe('mtr metrics', () => {
  it('one series per hop labelled hop and ip, "???" for a silent hop, and promtool-clean', async () => {
    const path = trace('silent-hop.raw');
    const text = renderExposition(mtrMetrics(new MetricSet(), path).list());
    expect(sampleValue(text, 'probe_mtr_hops')).toBe(3);
    expect(sampleValue(text, 'probe_mtr_destination_reached')).toBe(1);
    expect(sampleValue(text, 'probe_mtr_path_hash')).toBe(pathHash(path.hops));
    expect(sampleValue(text, 'probe_mtr_hop_loss_ratio{hop="1",ip="???"}')).toBe(1);
    expect(sampleValue(text, 'probe_mtr_hop_packets_sent{hop="1",ip="???"}')).toBe(3);
    expect(sampleValue(text, 'probe_mtr_hop_loss_ratio{hop="3",ip="10.231.2.2"}')).toBe(0);
    expect(text).not.toContain('probe_mtr_hop_rtt_seconds{hop="1"');
    expect(sampleValue(text, 'probe_mtr_hop_rtt_seconds{hop="2",ip="10.231.1.2",stat="best"}')).toBe(0.000062);
    expect(sampleValue(text, 'probe_mtr_hop_jitter_seconds{hop="2",ip="10.231.1.2"}')).toBeGreaterThan(0);
    expect(await promtoolProblems(text)).toBe('');
  });
});

describe('mtr arguments', () => {
  const opts = (o: Record<string, unknown> = {}) => adHocModule('mtr', o).mtr as MtrOptions;

  it('defaults: icmp, numeric, raw output, the address after --', () => {
    expect(buildMtrArgs(opts(), '192.0.2.1', 4, 1, 2)).toEqual([
      '--raw', '-c', '5', '-i', '1', '-G', '2', '-m', '30', '-4', '-n', '--', '192.0.2.1',
    ]);
  });

  it('udp/tcp with a port, IPv6, names resolved', () => {
    expect(buildMtrArgs(opts({ protocol: 'udp', port: 53, resolve_hostnames: true }), '2001:db8::1', 6, 0.5, 1)).toEqual([
      '--raw', '-c', '5', '-i', '0.5', '-G', '1', '-m', '30', '-6', '-u', '-P', '53', '--', '2001:db8::1',
    ]);
    expect(buildMtrArgs(opts({ protocol: 'tcp', port: 443, packets: 2, max_hops: 8 }), '192.0.2.1', 4, 1, 1)).toContain('-T');
    expect(buildMtrArgs(opts({ protocol: 'icmp', port: 443 }), '192.0.2.1', 4, 1, 1)).not.toContain('-P');
  });
});

describe('mtr failure reasons', () => {
  it('names the missing privilege', () => {
    const stderr = [
      'mtr-packet: Failure to open IPv4 sockets: Permission denied',
      'mtr-packet: Failure to open IPv6 sockets: Permission denied',
      'mtr: Failure to start mtr-packet: Invalid argument',
    ].join('\n');
    expect(mtrFailureReason(stderr, 1)).toMatch(/^mtr cannot open raw sockets: mtr-packet needs CAP_NET_RAW .* or root \(mtr said: mtr-packet: Failure/);
    expect(mtrFailureReason('mtr: non-root users cannot request an interval < 1.0 seconds\n', 1)).toBe(
      'mtr failed: mtr: non-root users cannot request an interval < 1.0 seconds',
    );
    expect(mtrFailureReason('', 1)).toBe('mtr exited with code 1 and printed nothing');
  });
});
