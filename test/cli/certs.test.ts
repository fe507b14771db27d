import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test, vi } from 'vitest';
import { certsCommand } from '../../cli/certs.js';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = 0;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function pulseCerts(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  process.exitCode = 0;
  await certsCommand().parseAsync(args, { from: 'user' });
  vi.restoreAllMocks();
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = 0;
  return { out, err, code };
}

test('pulse certs init, then issue server, agent and client certificates', async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-cli-certs-'));
  const init = await pulseCerts('init', '--dir', dir);
  expect(init.code).toBe(0);
  expect(init.out).toContain(join(dir, 'ca.key'));
  expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);

  expect((await pulseCerts('issue', '--dir', dir, '--kind', 'server', '--name', 'hub', '--host', 'hub.pulse.test', '--host', '127.0.0.1')).code).toBe(0);
  expect((await pulseCerts('issue', '--dir', dir, '--kind', 'agent', '--name', 'probe1', '--host', '127.0.0.1')).code).toBe(0);
  expect((await pulseCerts('issue', '--dir', dir, '--kind', 'client', '--name', 'prometheus')).code).toBe(0);
  for (const n of ['hub', 'probe1', 'prometheus']) {
    await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, `${n}.crt`)]);
  }
  const san = (await execa('openssl', ['x509', '-in', join(dir, 'hub.crt'), '-noout', '-ext', 'subjectAltName'])).stdout;
  expect(san).toMatch(/DNS:hub\.pulse\.test, IP Address:127\.0\.0\.1/);

  const again = await pulseCerts('init', '--dir', dir);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/refusing to overwrite/);
  const clientHost = await pulseCerts('issue', '--dir', dir, '--kind', 'client', '--name', 'c2', '--host', 'x');
  expect(clientHost.code).toBe(1);
  expect(clientHost.err).toMatch(/--host is for server and agent/);
});

test.each([['abc'], ['-5'], ['0'], ['1.5'], ['10x']])('--days %s is a usage error (exit 2), and nothing is written', async (value) => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-cli-certs-'));
  const init = await pulseCerts('init', '--dir', dir, `--days=${value}`);
  expect(init.code).toBe(2);
  expect(init.err).toMatch(/--days must be a whole number of days/);
  await expect(stat(join(dir, 'ca.crt'))).rejects.toThrow();
  expect((await pulseCerts('init', '--dir', dir)).code).toBe(0);
  const issue = await pulseCerts('issue', '--dir', dir, '--kind', 'client', '--name', 'c', `--days=${value}`);
  expect(issue.code).toBe(2);
  expect(issue.err).toMatch(/--days must be a whole number of days/);
  await expect(stat(join(dir, 'c.crt'))).rejects.toThrow();
});
