import { mkdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { netnsSkipReason } from '../../helpers/netns.js';
import { POLICY_CASES } from './cases.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const ns = `p13-pol-${randomBytes(3).toString('hex')}`;
const out: Array<{ name: string; success: boolean; reason: string; connected_to?: string }> = [];
let summary: { ports: { HTTP: string; TCP: string }; rebindQueries: number } | undefined;

describe.skipIf(netnsSkipReason() !== undefined)('target policy, every prober, inside a namespace with only loopback', () => {
  beforeAll(async () => {
    const dir = join(root, 'test-artifacts', `policy-${process.pid}`);
    await mkdir(dir, { recursive: true });
    const bundle = join(dir, 'runner.mjs');
    await build({ entryPoints: [join(root, 'test/exporter/policy/netns-runner.ts')], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
    await execa('ip', ['netns', 'add', ns]);
    // The namespace's own resolver: the runner's DNS server; nothing is asked outside.
    await mkdir(`/etc/netns/${ns}`, { recursive: true });
    await writeFile(`/etc/netns/${ns}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    await writeFile(`/etc/netns/${ns}/hosts`, '127.0.0.1 localhost\n::1 localhost\n');
    await execa('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const r = await execa('ip', ['netns', 'exec', ns, process.execPath, bundle], { cwd: root, reject: false, timeout: 150_000 });
    if (r.exitCode !== 0) throw new Error(`runner failed: ${String(r.stderr).slice(0, 2000)}`);
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    summary = lines.pop();
    out.push(...lines);
    await rm(dir, { recursive: true, force: true });
  }, 180_000);
  afterAll(async () => {
    await execa('ip', ['netns', 'del', ns], { reject: false });
    await rm(`/etc/netns/${ns}`, { recursive: true, force: true });
  });

  test.each(POLICY_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const got = out.find((o) => o.name === c.name);
    expect(got, c.name).toBeDefined();
    if (c.expect === 'ok') expect({ success: got!.success, reason: got!.reason }).toEqual({ success: true, reason: '' });
    else {
      expect(got!.success).toBe(false);
      expect(got!.reason).toContain(c.expect);
      if (c.expect === 'refused') expect(got!.reason).not.toContain('policy');
    }
    if (c.connectedTo) expect(got!.connected_to).toBe(c.connectedTo.replace('{HTTP}', summary!.ports.HTTP));
  });
});
