import { chmod, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcmpProber, icmpProber } from '../../../exporter/probers/icmp.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { parseConfig } from '../../../lib/config/load.js';
import { type Blackbox, startBlackbox } from '../../helpers/blackbox.js';
import { exposition, NOBODY, promtoolProblems, runProbe, sampleValue, seriesShapes } from '../../helpers/icmp-mtr.js';

const isRoot = process.getuid?.() === 0;

/** Modules exactly as a blackbox.yml has them. */
const BLACKBOX_MODULES = `modules:
  icmp:
    prober: icmp
    timeout: 5s
  icmp_ipv4:
    prober: icmp
    timeout: 5s
    icmp:
      preferred_ip_protocol: "ip4"
      ip_protocol_fallback: false
      payload_size: 64
      dont_fragment: true
      ttl: 32
`;

interface Reply {
  seq: number;
  ttl: number;
  rtt_seconds: number;
}

describe('icmp prober against loopback, several packets', () => {
  it.each([
    ['127.0.0.1', 4, 'ip4'],
    ['::1', 6, 'ip6'],
  ] as const)('%s', async (target, family, preferred) => {
    const outcome = await runProbe(icmpProber, 'icmp', target, { packets: 4, interval: '50ms', preferred_ip_protocol: preferred });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.success).toBe(true);
    const d = outcome.details;
    expect(d).toMatchObject({ address: target, ip_protocol: family, packets_sent: 4, packets_received: 4, packet_loss_ratio: 0 });
    const replies = d.replies as Reply[];
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    for (const r of replies) {
      expect(r.ttl).toBe(64);
      expect(r.rtt_seconds).toBeGreaterThan(0);
    }
    const rtt = d.rtt_seconds as { min: number; avg: number; max: number; stddev: number };
    expect(rtt.min).toBe(Math.min(...replies.map((r) => r.rtt_seconds)));
    expect(rtt.max).toBe(Math.max(...replies.map((r) => r.rtt_seconds)));
    expect(rtt.avg).toBeGreaterThanOrEqual(rtt.min);
    expect(rtt.avg).toBeLessThanOrEqual(rtt.max);

    const text = exposition(outcome);
    expect(sampleValue(text, 'probe_icmp_packets_sent')).toBe(4);
    expect(sampleValue(text, 'probe_icmp_packets_received')).toBe(4);
    expect(sampleValue(text, 'probe_icmp_packet_loss_ratio')).toBe(0);
    expect(sampleValue(text, 'probe_icmp_reply_hop_limit')).toBe(64);
    expect(sampleValue(text, 'probe_ip_protocol')).toBe(family);
    expect(sampleValue(text, 'probe_icmp_rtt_seconds{stat="max"}')).toBe(rtt.max);
    expect(sampleValue(text, 'probe_icmp_duration_seconds{phase="rtt"}')).toBeCloseTo(rtt.avg, 9);
    expect(await promtoolProblems(text)).toBe('');
  });

  it('passes payload size, TTL, don\'t-fragment and source address to the echo requests', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', '127.0.0.1', {
      preferred_ip_protocol: 'ip4',
      payload_size: 1200,
      ttl: 3,
      dont_fragment: true,
      source_ip_address: '127.0.0.1',
    });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.details.packets_received).toBe(1);
    // Loopback replies carry the kernel's default TTL whatever the request's was.
    expect(outcome.details.reply_hop_limit).toBe(64);
  });

  it('resolves a name with the preferred family and says which it used', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', 'localhost', { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false });
    expect(outcome.success).toBe(true);
    expect(outcome.details.address).toBe('127.0.0.1');
  });

  it('fails clearly, with blackbox\'s pre-created series, when the family is not allowed', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', '::1', { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false });
    expect(outcome.success).toBe(false);
    expect(outcome.reason).toMatch(/IPv6 address but the module allows only IPv4/);
    const text = exposition(outcome);
    expect(sampleValue(text, 'probe_ip_protocol')).toBe(0);
    for (const phase of ['resolve', 'setup', 'rtt']) {
      expect(sampleValue(text, `probe_icmp_duration_seconds{phase="${phase}"}`)).toBeDefined();
    }
    expect(await promtoolProblems(text)).toBe('');
  });

  it('refuses a packet count that cannot fit in the timeout instead of silently sending fewer', async () => {
    const outcome = await runProbe(icmpProber, 'icmp', '127.0.0.1', { packets: 5, interval: '1s' }, 2);
    expect(outcome.success).toBe(false);
    expect(outcome.reason).toMatch(/lower packets or interval, or raise the module's timeout/);
  });
});

describe('icmp prober availability and privileges', () => {
  it('says the binary is missing, and /metrics shows the prober unavailable', async () => {
    const missing = createIcmpProber({ ping: { file: 'pulse-test-no-such-ping' } });
    expect(await missing.unavailable!()).toMatch(/pulse-test-no-such-ping not found: install iputils-ping/);
    expect(await icmpProber.unavailable!()).toBeUndefined();
    const config = parseConfig('modules:\n  icmp:\n    prober: icmp\n');
    const exporter = await buildExporter({ config, probers: { ...defaultProbers(), icmp: missing } });
    try {
      const metrics = await exporter.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/pulse_exporter_prober_available\{prober="icmp"\} 0/);
      const probe = await exporter.app.inject({ method: 'GET', url: '/probe?module=icmp&target=127.0.0.1' });
      expect(probe.statusCode).toBe(200);
      expect(probe.body).toMatch(/^probe_success 0$/m);
    } finally {
      await exporter.app.close();
    }
  });

  describe.skipIf(!isRoot)('without CAP_NET_RAW (runs ping as nobody from a copy without file capabilities)', () => {
    let dir: string;
    let groupRange = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pulse-icmp-'));
      await chmod(dir, 0o755);
      await copyFile('/usr/bin/ping', join(dir, 'ping'));
      await chmod(join(dir, 'ping'), 0o755);
      groupRange = await readFile('/proc/sys/net/ipv4/ping_group_range', 'utf8');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports what to grant instead of failing silently', async (t) => {
      const [lo, hi] = groupRange.trim().split(/\s+/).map(Number);
      // Where ping_group_range lets nogroup use ICMP datagram sockets, ping needs no privilege at all.
      if (lo! <= 65534 && 65534 <= hi!) t.skip('net.ipv4.ping_group_range admits nogroup here: unprivileged ping works');
      const prober = createIcmpProber({ ping: { file: 'setpriv', args: [...NOBODY, join(dir, 'ping')] } });
      const outcome = await runProbe(prober, 'icmp', '127.0.0.1', { preferred_ip_protocol: 'ip4' });
      expect(outcome.success).toBe(false);
      expect(outcome.reason).toMatch(/CAP_NET_RAW/);
      expect(outcome.reason).toMatch(/ping_group_range/);
      expect(outcome.reason).toMatch(/Operation not permitted/);
    });

    it('works unprivileged where net.ipv4.ping_group_range admits the group (inside a namespace of its own)', async () => {
      const ns = `pulse-icmp-${process.pid}-${Date.now().toString(36)}`;
      await execa('ip', ['netns', 'add', ns]);
      try {
        await execa('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
        await execa('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ping_group_range=0 2147483647']);
        const prober = createIcmpProber({ ping: { file: 'ip', args: ['netns', 'exec', ns, 'setpriv', ...NOBODY, join(dir, 'ping')] } });
        const outcome = await runProbe(prober, 'icmp', '127.0.0.1', { preferred_ip_protocol: 'ip4', packets: 2, interval: '50ms', dont_fragment: true });
        expect(outcome.reason).toBeUndefined();
        expect(outcome.details).toMatchObject({ packets_sent: 2, packets_received: 2 });
      } finally {
        await execa('ip', ['netns', 'delete', ns], { reject: false });
      }
    });
  });
});

describe('icmp via /probe with a module copied from blackbox.yml', () => {
  let exporter: Exporter;
  beforeAll(async () => {
    exporter = await buildExporter({ config: parseConfig(BLACKBOX_MODULES) });
  });
  afterAll(async () => {
    await exporter.app.close();
  });

  it('answers /probe?module=icmp&target=127.0.0.1', async () => {
    const res = await exporter.app.inject({ method: 'GET', url: '/probe?module=icmp&target=127.0.0.1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^probe_success 1$/m);
    expect(res.body).toMatch(/^probe_icmp_packets_sent 1$/m);
    expect(await promtoolProblems(res.body)).toBe('');
  });

  it.each([
    ['argument injection', '-c1000', 'target must not start with "-"'],
    ['empty', '', 'target parameter is missing'],
    ['a space', '127.0.0.1 -f', 'is not a valid hostname or IP address'],
    ['shell characters', '127.0.0.1;reboot', 'is not a valid hostname or IP address'],
    ['a port', 'localhost:80', 'is not a valid hostname or IP address'],
    ['a control character', 'local%0Ahost', 'control characters'],
    ['too long', 'a'.repeat(3000), 'longer than 2048'],
    ['a hostname over 253 characters', `${'a'.repeat(60)}.`.repeat(5), 'is not a valid hostname or IP address'],
  ])('refuses a target with %s (400)', async (_what, target, reason) => {
    const res = await exporter.app.inject({ method: 'GET', url: `/probe?module=icmp&target=${target.includes('%') ? target : encodeURIComponent(target)}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(reason);
  });
});

describe.skipIf(!isRoot)('icmp side by side with blackbox_exporter 0.23 (its icmp needs root here)', () => {
  let exporter: Exporter;
  let blackbox: Blackbox | undefined;
  beforeAll(async () => {
    exporter = await buildExporter({ config: parseConfig(BLACKBOX_MODULES) });
    blackbox = await startBlackbox(BLACKBOX_MODULES);
  });
  afterAll(async () => {
    await exporter?.app.close();
    await blackbox?.stop();
  });

  it.each([
    ['icmp', '127.0.0.1'],
    ['icmp', '::1'],
    ['icmp_ipv4', '127.0.0.1'],
  ])('module %s, target %s: every series blackbox emits is there with the same identity values', async (module, target) => {
    const theirs = (await blackbox!.probe(module, target)).body;
    const ours = (await exporter.app.inject({ method: 'GET', url: `/probe?module=${module}&target=${encodeURIComponent(target)}` })).body;
    expect(sampleValue(theirs, 'probe_success')).toBe(1);
    const missing = [...seriesShapes(theirs)].filter((s) => !seriesShapes(ours).has(s));
    expect(missing).toEqual([]);
    for (const same of ['probe_success', 'probe_ip_protocol', 'probe_ip_addr_hash', 'probe_icmp_reply_hop_limit']) {
      expect([same, sampleValue(ours, same)]).toEqual([same, sampleValue(theirs, same)]);
    }
  });
});

