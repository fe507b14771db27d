/**
 * mtr and icmp over a real three-hop path: root namespace → R1 → R2 → far end, built from network
 * namespaces joined by veth pairs (test/helpers/netns.ts). Traffic stays inside those namespaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icmpProber } from '../../../exporter/probers/icmp.js';
import { mtrProber } from '../../../exporter/probers/mtr.js';
import type { Hop } from '../../../exporter/probers/mtr/hops.js';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { parseConfig } from '../../../lib/config/load.js';
import { exposition, promtoolProblems, runProbe, sampleValue } from '../../helpers/icmp-mtr.js';
import { buildNetnsPath, type NetnsPath, netnsSkipReason, nftSkipReason } from '../../helpers/netns.js';

const skip = netnsSkipReason();
if (skip) console.warn(`skipping mtr/icmp network-namespace tests: ${skip}`);
const nftSkip = nftSkipReason();
if (!skip && nftSkip) console.warn(`skipping the loss tests: ${nftSkip}`);

// Even, so "every other reply dropped" is exactly half of them.
const TRACE = { packets: 4, interval: '100ms' };

describe.skipIf(skip !== undefined)('mtr over a three-hop network-namespace path', () => {
  let path: NetnsPath;
  let cleanHash: number;

  beforeAll(async () => {
    path = await buildNetnsPath(2);
  });
  afterAll(async () => {
    await path?.teardown();
  });

  it('traces the far end: every hop in order, no loss, destination reached', async () => {
    const outcome = await runProbe(mtrProber, 'mtr', path.far, TRACE);
    expect(outcome.reason).toBeUndefined();
    expect(outcome.success).toBe(true);
    const hops = outcome.details.hops as Hop[];
    expect(hops.map((h) => h.ip)).toEqual(path.hops);
    expect(hops.map((h) => h.hop)).toEqual([1, 2, 3]);
    for (const h of hops) expect([h.sent, h.received, h.loss_ratio]).toEqual([4, 4, 0]);
    expect(outcome.details.destination_reached).toBe(true);
    cleanHash = outcome.details.path_hash as number;

    const text = exposition(outcome);
    expect(sampleValue(text, 'probe_mtr_hops')).toBe(3);
    expect(sampleValue(text, 'probe_mtr_path_hash')).toBe(cleanHash);
    path.hops.forEach((ip, i) => {
      expect(sampleValue(text, `probe_mtr_hop_loss_ratio{hop="${i + 1}",ip="${ip}"}`)).toBe(0);
      expect(sampleValue(text, `probe_mtr_hop_rtt_seconds{hop="${i + 1}",ip="${ip}",stat="worst"}`)).toBeGreaterThan(0);
    });
    expect(await promtoolProblems(text)).toBe('');
  });

  it.each(['udp', 'tcp'] as const)('traces with %s probes along the same hops', async (protocol) => {
    const outcome = await runProbe(mtrProber, 'mtr', path.far, { ...TRACE, protocol, port: 33434 });
    expect(outcome.reason).toBeUndefined();
    expect((outcome.details.hops as Hop[]).map((h) => h.ip)).toEqual(path.hops);
  });

  describe.skipIf(nftSkip !== undefined)('with loss injected in the routers', () => {
    afterAll(async () => {
      await path?.clearDrops();
    });

    it('a router dropping every other time-exceeded shows 50% loss at its hop, and the route hash does not move', async () => {
      await path.dropTimeExceeded(2, 2);
      try {
        const outcome = await runProbe(mtrProber, 'mtr', path.far, TRACE);
        expect(outcome.success).toBe(true);
        const hops = outcome.details.hops as Hop[];
        expect(hops.map((h) => [h.ip, h.loss_ratio])).toEqual([
          [path.hops[0], 0],
          [path.hops[1], 0.5],
          [path.hops[2], 0],
        ]);
        expect(sampleValue(exposition(outcome), `probe_mtr_hop_loss_ratio{hop="2",ip="${path.hops[1]}"}`)).toBe(0.5);
        expect(outcome.details.path_hash).toBe(cleanHash);
      } finally {
        await path.clearDrops();
      }
    });

    it('a router that never answers is hop "???" with loss 1; the path hash changes', async () => {
      await path.dropTimeExceeded(1, 'all');
      try {
        const outcome = await runProbe(mtrProber, 'mtr', path.far, TRACE);
        expect(outcome.success).toBe(true);
        const hops = outcome.details.hops as Hop[];
        expect(hops.map((h) => h.ip)).toEqual(['???', path.hops[1], path.hops[2]]);
        expect(hops[0]).toMatchObject({ sent: 4, received: 0, loss_ratio: 1, rtt_seconds: null });
        const text = exposition(outcome);
        expect(sampleValue(text, 'probe_mtr_hop_loss_ratio{hop="1",ip="???"}')).toBe(1);
        expect(text).not.toContain('probe_mtr_hop_rtt_seconds{hop="1"');
        expect(outcome.details.path_hash).not.toBe(cleanHash);
        expect(await promtoolProblems(text)).toBe('');
      } finally {
        await path.clearDrops();
      }
    });

    it('a far end that never answers: probe fails, says so, and shows where the path went silent', async () => {
      await path.dropEchoAtFarEnd();
      try {
        const outcome = await runProbe(mtrProber, 'mtr', path.far, { ...TRACE, max_hops: 5 });
        expect(outcome.success).toBe(false);
        expect(outcome.reason).toBe(`${path.far} did not answer within 5 hops; the last hop that answered is ${path.hops[1]} (hop 2)`);
        expect(outcome.details.destination_reached).toBe(false);
        expect(sampleValue(exposition(outcome), 'probe_mtr_destination_reached')).toBe(0);
      } finally {
        await path.clearDrops();
      }
    });

    it('icmp: several echo requests to a far end that drops them all report full loss, with a reason', async () => {
      await path.dropEchoAtFarEnd();
      try {
        const outcome = await runProbe(icmpProber, 'icmp', path.far, { packets: 3, interval: '200ms' }, 3);
        expect(outcome.success).toBe(false);
        expect(outcome.reason).toMatch(new RegExp(`^no echo reply from ${path.far.replaceAll('.', '\\.')} within .*\\(3 sent\\)$`));
        expect(outcome.details).toMatchObject({ packets_sent: 3, packets_received: 0, packet_loss_ratio: 1 });
        const text = exposition(outcome);
        expect(sampleValue(text, 'probe_icmp_packet_loss_ratio')).toBe(1);
        expect(text).not.toContain('probe_icmp_reply_hop_limit');
        expect(await promtoolProblems(text)).toBe('');
      } finally {
        await path.clearDrops();
      }
    });
  });

  it('a tcp trace does not leak its replies into a concurrent trace with a silent hop', async () => {
    // mtr 0.95 matches ICMP errors about TCP probes by port alone; the prober runs tcp traces alone.
    const other = await buildNetnsPath(2);
    try {
      await path.dropTimeExceeded(1, 'all');
      const icmpRun = runProbe(mtrProber, 'mtr', path.far, { packets: 6, interval: '100ms' });
      // Start the tcp trace while the icmp one has unanswered probes out: the case that mixed them up.
      await new Promise((r) => setTimeout(r, 300));
      const [icmp, tcp] = await Promise.all([
        icmpRun,
        runProbe(mtrProber, 'mtr', other.far, { packets: 6, interval: '100ms', protocol: 'tcp', port: 80 }),
      ]);
      expect((icmp.details.hops as Hop[]).map((h) => h.ip)).toEqual(['???', path.hops[1], path.hops[2]]);
      expect((icmp.details.hops as Hop[])[0]!.addresses).toEqual([]);
      expect((tcp.details.hops as Hop[]).map((h) => h.ip)).toEqual(other.hops);
    } finally {
      await path.clearDrops();
      await other.teardown();
    }
  });

  it('icmp: replies from the far end carry the hop limit left after two routers', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', path.far, { packets: 3, interval: '50ms' });
    expect(outcome.success).toBe(true);
    expect(outcome.details).toMatchObject({ packets_sent: 3, packets_received: 3, reply_hop_limit: 62 });
  });

  it('icmp: a TTL too small to get there names the router that said so', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', path.far, { ttl: 1, preferred_ip_protocol: 'ip4' });
    expect(outcome.success).toBe(false);
    expect(outcome.reason).toBe(`no echo reply from ${path.far}: Time to live exceeded (from ${path.hops[0]}, icmp_seq=1)`);
  });

  describe('through the exporter', () => {
    let exporter: Exporter;
    beforeAll(async () => {
      exporter = await buildExporter({
        config: parseConfig('modules:\n  mtr:\n    prober: mtr\n    timeout: 5s\n    mtr:\n      packets: 4\n      interval: 100ms\n'),
      });
    });
    afterAll(async () => {
      await exporter?.app.close();
    });

    it('/probe?module=mtr&target=<far end> answers with the path', async () => {
      const res = await exporter.app.inject({ method: 'GET', url: `/probe?module=mtr&target=${path.far}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^probe_success 1$/m);
      expect(sampleValue(res.body, 'probe_mtr_hops')).toBe(3);
      path.hops.forEach((ip, i) => {
        expect(sampleValue(res.body, `probe_mtr_hop_packets_received{hop="${i + 1}",ip="${ip}"}`)).toBe(4);
      });
      expect(await promtoolProblems(res.body)).toBe('');
    });
  });
});
