import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseResolvConf } from '../../../exporter/probers/dns/system-resolvers.js';
import { netnsSkipReason } from '../../helpers/netns.js';

test('resolv.conf: nameservers in order, at most three, comments and junk skipped', () => {
  const text = '# generated\nsearch site.test\nnameserver 192.0.2.53 # primary\n nameserver\t2001:db8::53\nnameserver not-an-ip\n;nameserver 192.0.2.9\nnameserver fe80::1%eth0\nnameserver 192.0.2.54\n';
  expect(parseResolvConf(text)).toEqual(['192.0.2.53', '2001:db8::53', 'fe80::1%eth0']);
  expect(parseResolvConf('')).toEqual([]);
});

const skip = netnsSkipReason();

interface Details {
  answer: Array<{ data: string }>;
  rcode?: string;
  resolver: {
    target: string;
    address?: string;
    system: { file: string; nameservers: string[]; tried: Array<{ resolver: string; reason?: string; rcode?: string }>; answered_by?: string };
  };
}

/**
 * An agent whose resolv.conf the test writes: a namespace with only loopback and its own
 * /etc/netns/NAME/resolv.conf, the prober and the nameservers running inside it.
 */
describe.skipIf(skip)('a dns test without a resolver asks the agent\'s own resolvers', () => {
  const ns = `p15-dns-${randomBytes(3).toString('hex')}`;
  let dir: string;
  let script: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p15-dns-'));
    script = join(dir, 'agent.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'dns-system-agent.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
      // execa and friends use require(): give the bundle one.
      banner: { js: "import { createRequire as pulseCreateRequire } from 'node:module'; const require = pulseCreateRequire(import.meta.url);" },
    });
    await execa('ip', ['netns', 'add', ns]);
    await execa('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
  }, 60_000);
  afterAll(async () => {
    await execa('ip', ['netns', 'delete', ns], { reject: false });
    await rm(`/etc/netns/${ns}`, { recursive: true, force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function probeWith(resolvConf: string): Promise<{ success: boolean; reason?: string; details: Details }> {
    await mkdir(`/etc/netns/${ns}`, { recursive: true });
    await writeFile(`/etc/netns/${ns}/resolv.conf`, resolvConf);
    const r = await execa('ip', ['netns', 'exec', ns, process.execPath, script], { reject: false, timeout: 20_000 });
    if (r.exitCode !== 0) throw new Error(`agent failed: ${r.stderr}`);
    return JSON.parse(String(r.stdout).trim().split('\n').at(-1)!);
  }

  test('the first nameserver answers: the row says it did', async () => {
    const r = await probeWith('nameserver 127.0.0.1\nnameserver 127.0.0.2\n');
    expect(r.success).toBe(true);
    expect(r.details.answer.map((a) => a.data)).toEqual(['192.0.2.80']);
    expect(r.details.resolver).toMatchObject({ target: 'system', address: '127.0.0.1:53' });
    expect(r.details.resolver.system).toEqual({ file: '/etc/resolv.conf', nameservers: ['127.0.0.1', '127.0.0.2'], tried: [{ resolver: '127.0.0.1', rcode: 'NOERROR' }], answered_by: '127.0.0.1' });
  }, 30_000);

  test('a dead and a refusing nameserver are passed over, as the system resolver would', async () => {
    const r = await probeWith('nameserver 127.0.0.3\nnameserver 127.0.0.2\nnameserver 127.0.0.1\n');
    expect(r.success).toBe(true);
    const sys = r.details.resolver.system;
    expect(sys.tried.map((t) => t.resolver)).toEqual(['127.0.0.3', '127.0.0.2', '127.0.0.1']);
    expect(sys.tried[1]).toMatchObject({ rcode: 'REFUSED' });
    expect(sys.tried[0]?.reason).toBeTruthy();
    expect(sys.answered_by).toBe('127.0.0.1');
  }, 30_000);

  test('only a refusing nameserver: the probe fails with its rcode and says who answered', async () => {
    const r = await probeWith('nameserver 127.0.0.2\n');
    expect(r.success).toBe(false);
    expect(r.details.rcode).toBe('REFUSED');
    expect(r.details.resolver.system.answered_by).toBe('127.0.0.2');
  }, 30_000);

  test('no nameserver at all: a failed row with the reason', async () => {
    const r = await probeWith('search site.test\n');
    expect(r.success).toBe(false);
    expect(r.reason).toMatch(/no nameserver in \/etc\/resolv.conf/);
  }, 30_000);
});
