import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { buildPulseBinary, runPulse } from './helpers/binary.js';

// The real `pulse` binary: tokens made on the hub's data directory work at once on a running hub
// that requires authentication, through --token and PULSE_TOKEN, and stop working when revoked.
let fleet: Fleet;
let bin = '';
let data = '';

beforeAll(async () => {
  [fleet, bin] = await Promise.all([startFleet({ agents: ['t1'], hub: { auth: { required: true } } }), buildPulseBinary()]);
  data = join(fleet.dir, 'hub-data');
}, 60_000);
afterAll(async () => {
  await fleet?.close();
  if (bin) await rm(dirname(bin), { recursive: true, force: true });
});

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1)!;

test('create prints the token alone on the last line; --token and PULSE_TOKEN carry it; revoke stops it', async () => {
  const made = await runPulse(bin, ['tokens', 'create', '--data', data, '--name', 'ops', '--scope', 'read,run', '--expires', '1d']);
  expect(made.exitCode).toBe(0);
  const token = lastLine(made.stdout);
  expect(token).toMatch(/^pulse_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);

  const env = { PULSE_HUB: fleet.hubUrl };
  const refused = await runPulse(bin, ['agents', '--json'], { env });
  expect(refused.exitCode).toBe(2);
  expect(refused.stderr).toMatch(/requires authentication/);

  const byFlag = await runPulse(bin, ['--token', token, 'agents', '--json'], { env });
  expect(byFlag.exitCode).toBe(0);
  expect(byFlag.stdout).toContain('"t1"');
  const byEnv = await runPulse(bin, ['tcp', fleet.hubUrl.replace('http://', ''), '--json'], { env: { ...env, PULSE_TOKEN: token } });
  expect(byEnv.exitCode).toBe(0);
  expect(JSON.parse(lastLine(byEnv.stdout)).status).toBe('ok');

  const listed = await runPulse(bin, ['tokens', 'list', '--data', data]);
  expect(listed.stdout).toMatch(/^ops\t[0-9a-f]{16}\tread,run\tactive until /m);
  expect(listed.stdout).not.toContain(token.split('_')[2]);

  expect((await runPulse(bin, ['tokens', 'revoke', '--data', data, 'ops'])).exitCode).toBe(0);
  const revoked = await runPulse(bin, ['--token', token, 'agents'], { env });
  expect(revoked.exitCode).toBe(2);
  expect(revoked.stderr).toMatch(/revoked/);
}, 60_000);

test('bad scopes and durations are usage errors; revoking an unknown token fails', async () => {
  const bad = await runPulse(bin, ['tokens', 'create', '--data', data, '--name', 'x', '--scope', 'read,root']);
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toMatch(/unknown scope "root"/);
  expect((await runPulse(bin, ['tokens', 'create', '--data', data, '--name', 'x', '--scope', 'read', '--expires', 'soon'])).exitCode).toBe(2);
  expect((await runPulse(bin, ['tokens', 'revoke', '--data', data, 'nobody'])).exitCode).toBe(1);
}, 60_000);
