import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtrProber, mtrProber } from '../../../exporter/probers/mtr.js';
import { mtrUnavailable } from '../../../exporter/probers/mtr/availability.js';
import type { Hop } from '../../../exporter/probers/mtr/hops.js';
import { parseMtrRaw } from '../../../exporter/probers/mtr/parse.js';
import { runMtr } from '../../../exporter/probers/mtr/mtr-process.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { adHocModule } from '../../../lib/config/adhoc.js';
import { parseConfig } from '../../../lib/config/load.js';
import { exposition, NOBODY, promtoolProblems, runProbe, sampleValue } from '../../helpers/icmp-mtr.js';

const isRoot = process.getuid?.() === 0;
// mtr refuses intervals under a second to anyone but root.
const FAST = isRoot ? { packets: 3, interval: '100ms' } : { packets: 2, interval: '1s' };

describe('mtr prober on loopback', () => {
  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)('%s: one hop, the destination, reached', async (target, family) => {
    const outcome = await runProbe(mtrProber, 'mtr', target, { ...FAST, ip_version: family });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.success).toBe(true);
    expect(outcome.details).toMatchObject({ address: target, ip_version: family, destination_reached: true, hop_count: 1 });
    const hops = outcome.details.hops as Hop[];
    expect(hops).toHaveLength(1);
    expect(hops[0]).toMatchObject({ hop: 1, ip: target, sent: FAST.packets, received: FAST.packets, loss_ratio: 0 });
    const text = exposition(outcome);
    expect(sampleValue(text, 'probe_mtr_hops')).toBe(1);
    expect(sampleValue(text, 'probe_mtr_destination_reached')).toBe(1);
    expect(sampleValue(text, `probe_mtr_hop_loss_ratio{hop="1",ip="${target}"}`)).toBe(0);
    expect(sampleValue(text, 'probe_ip_protocol')).toBe(family);
    expect(await promtoolProblems(text)).toBe('');
  });

  it('resolves a name once and traces that address', async () => {
    const outcome = await runProbe(mtrProber, 'mtr', 'localhost', { ...FAST, ip_version: 4, resolve_hostnames: true });
    expect(outcome.success).toBe(true);
    expect(outcome.details.address).toBe('127.0.0.1');
    expect((outcome.details.hops as Hop[])[0]!.ip).toBe('127.0.0.1');
  });

  it('refuses cycles that cannot fit in the timeout, saying what to change', async () => {
    const outcome = await runProbe(mtrProber, 'mtr', '127.0.0.1', { packets: 10, interval: '1s' }, 3);
    expect(outcome.success).toBe(false);
    expect(outcome.reason).toMatch(/10 packets at 1s intervals take 10s.*raise the module's timeout/);
  });

  it('keeps the lines mtr printed when it is stopped early', async () => {
    const args = ['--raw', '-n', '-c', '1000', '-i', isRoot ? '0.05' : '1', '--', '127.0.0.1'];
    const run = await runMtr({ file: 'mtr' }, args, 1.5, new AbortController().signal);
    expect(run.interrupted).toBe(true);
    const hops = parseMtrRaw(run.stdout);
    expect(hops[0]?.sent).toBeGreaterThan(0);
    expect(hops[0]?.addresses).toEqual(['127.0.0.1']);
  });
});

describe('mtr availability and privileges', () => {
  it('says the binary is missing, and /metrics shows pulse_exporter_prober_available{prober="mtr"} 0', async () => {
    const missing = createMtrProber({ mtr: { file: 'pulse-test-no-such-mtr' } });
    expect(await missing.unavailable!()).toMatch(/pulse-test-no-such-mtr not found: install mtr-tiny/);
    const config = parseConfig('modules:\n  path:\n    prober: mtr\n  ping:\n    prober: icmp\n');
    const exporter = await buildExporter({ config, probers: { ...defaultProbers(), mtr: missing } });
    try {
      const metrics = await exporter.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/pulse_exporter_prober_available\{prober="mtr"\} 0/);
      expect(metrics.body).toMatch(/pulse_exporter_prober_available\{prober="icmp"\} 1/);
      const probe = await exporter.app.inject({ method: 'GET', url: '/probe?module=path&target=127.0.0.1&debug=true' });
      expect(probe.statusCode).toBe(200);
      expect(probe.body).toContain('pulse-test-no-such-mtr not found');
      // The exporter keeps serving the other probers.
      const ping = await exporter.app.inject({ method: 'GET', url: '/probe?module=ping&target=127.0.0.1' });
      expect(ping.body).toMatch(/^probe_success 1$/m);
    } finally {
      await exporter.app.close();
    }
  });

  it('is available here (mtr-packet answers its support check)', async () => {
    expect(await mtrProber.unavailable!()).toBeUndefined();
  });

  describe.skipIf(!isRoot)('without CAP_NET_RAW (mtr as nobody, mtr-packet from a copy without file capabilities)', () => {
    let dir: string;
    let packet: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'pulse-mtr-'));
      await chmod(dir, 0o755);
      packet = join(dir, 'mtr-packet');
      await copyFile('/usr/bin/mtr-packet', packet);
      await chmod(packet, 0o755);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('unavailable() names the missing privilege', async () => {
      const reason = await mtrUnavailable({ file: 'mtr' }, { file: 'setpriv', args: [...NOBODY, packet] });
      expect(reason).toMatch(/^mtr cannot open raw sockets: mtr-packet needs CAP_NET_RAW/);
      expect(reason).toMatch(/Permission denied|Operation not permitted/);
    });

    it('a probe fails with the same clear reason', async () => {
      const prober = createMtrProber({ mtr: { file: 'setpriv', args: [...NOBODY, 'mtr'], env: { MTR_PACKET: packet } } });
      const outcome = await runProbe(prober, 'mtr', '127.0.0.1', { packets: 1, interval: '1s' }, 5);
      expect(outcome.success).toBe(false);
      expect(outcome.reason).toMatch(/^mtr cannot open raw sockets: mtr-packet needs CAP_NET_RAW/);
    });
  });
});

describe('mtr interval floor', () => {
  it('refuses intervals under 100ms in pulse.yml and in ad-hoc tests, and takes 100ms', () => {
    expect(() => parseConfig('modules:\n  fast:\n    prober: mtr\n    mtr:\n      interval: 10ms\n', 'pulse.yml')).toThrow(
      'pulse.yml:4: modules.fast.mtr: interval 10ms is below the minimum of 100ms',
    );
    expect(() => adHocModule('mtr', { interval: '0s' })).toThrow('options: interval 0s is below the minimum of 100ms');
    expect(adHocModule('mtr', { interval: '100ms' }).mtr?.interval).toBe('100ms');
  });
});

describe('mtr targets are validated before anything runs (400)', () => {
  let exporter: Exporter;
  beforeAll(async () => {
    const config = parseConfig('modules:\n  mtr:\n    prober: mtr\n  mtr6:\n    prober: mtr\n    mtr:\n      ip_version: 6\n');
    exporter = await buildExporter({ config });
  });
  afterAll(async () => {
    await exporter.app.close();
  });

  it.each([
    ['argument injection', 'mtr', '--report-wide', 'target must not start with "-"'],
    ['argument injection with a short flag', 'mtr', '-F/etc/passwd', 'target must not start with "-"'],
    ['empty', 'mtr', '', 'target parameter is missing'],
    ['a space', 'mtr', 'localhost --raw', 'is not a valid hostname or IP address'],
    ['shell characters', 'mtr', '$(reboot)', 'is not a valid hostname or IP address'],
    ['a URL', 'mtr', 'http://localhost/', 'is not a valid hostname or IP address'],
    ['a control character', 'mtr', 'local\u0007host', 'control characters'],
    ['too long', 'mtr', `${'a'.repeat(60)}.`.repeat(40), 'longer than 2048'],
    ['a label over 63 characters', 'mtr', `${'a'.repeat(64)}.test`, 'is not a valid hostname or IP address'],
    ['an IPv4 address for an IPv6-only module', 'mtr6', '127.0.0.1', 'traces IPv6 only'],
  ])('refuses %s', async (_what, module, target, reason) => {
    const res = await exporter.app.inject({ method: 'GET', url: `/probe?module=${module}&target=${encodeURIComponent(target)}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(reason);
  });
});
