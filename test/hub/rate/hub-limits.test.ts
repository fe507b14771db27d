import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createToken } from '../../../lib/auth/token-file.js';
import { type Fleet, startFleet } from '../../helpers/fleet.js';
import { post } from '../client.js';
import { gate, scriptedRegistry } from '../scripted-prober.js';

/** hub.rate_limits through the users' port: per token, 429 with Retry-After, the others unaffected. */

const hold = gate();
let fleet: Fleet;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fleet = await startFleet({
    agents: ['a1', 'a2'],
    probers: scriptedRegistry({ gate: hold.promise }),
    hub: { auth: { required: true }, rate_limits: { concurrent_measurements: 2, tests_per_minute: 3, agent_targets_per_measurement: 3 } },
  });
  for (const name of ['greedy', 'patient', 'counted']) {
    tokens[name] = (await createToken(join(fleet.dir, 'hub-data'), { name, scopes: ['run', 'operate', 'read'] })).token;
  }
  await fleet.waitActive(['a1', 'a2']);
}, 30_000);
afterAll(async () => {
  hold.open();
  await fleet?.close();
});

const as = (name: string) => ({ authorization: `Bearer ${tokens[name]}` });
const start = (name: string, target = 'wait.test:1') => post(fleet.hubUrl, '/api/v1/measurements?async=true', { type: 'tcp', target, timeout: 30 }, as(name));

test('one token running its limit gets 429 PULSE_RATE_LIMITED with Retry-After; another token still runs', async () => {
  expect((await start('greedy')).status).toBe(202);
  expect((await start('greedy')).status).toBe(202);
  const refused = await start('greedy');
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('1');
  const { error } = (await refused.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('PULSE_RATE_LIMITED');
  expect(error.message).toMatch(/greedy already runs 2 .*concurrent_measurements/);
  // Operations share the budget.
  const op = await post(fleet.hubUrl, '/api/v1/operations', { operations: { hosts: { type: 'file_exists', path: '/etc/hosts' } } }, as('greedy'));
  expect(op.status).toBe(429);
  // The seed routes too.
  expect((await post(fleet.hubUrl, '/dns/', { Host: 'example.test', QType: 'A', Targets: ['127.0.0.1'] }, as('greedy'))).status).toBe(429);
  expect((await start('patient')).status).toBe(202);
  const metrics = await (await fetch(`${fleet.hubUrl}/metrics`, { headers: as('patient') })).text();
  expect(metrics).toMatch(/pulse_hub_api_requests_total\{[^}]*identity="greedy"[^}]*outcome="rate_limited"[^}]*\} [1-9]/);
});

test('tests per minute: the fourth start in a minute is refused with the seconds left, finished or not', async () => {
  hold.open();
  for (let i = 0; i < 3; i++) {
    const res = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'ok.test:1', agents: { name: 'a1' } }, as('counted'));
    expect(res.status).toBe(200);
  }
  const refused = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'ok.test:1', agents: { name: 'a1' } }, as('counted'));
  expect(refused.status).toBe(429);
  const retry = Number(refused.headers.get('retry-after'));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(60);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PULSE_RATE_LIMITED');
});

test('agents × targets above the limit is a 400 that names the key, before anything runs', async () => {
  // Two agents × two resolvers = 4 > 3.
  const res = await post(fleet.hubUrl, '/dns/', { Host: 'example.test', QType: 'A', Targets: ['127.0.0.1', '127.0.0.2'] }, as('patient'));
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(res.status).toBe(400);
  expect(body.error.code).toBe('PULSE_MEASUREMENT_TOO_LARGE');
  expect(body.error.message).toMatch(/4 agent × target runs .*agent_targets_per_measurement/);
});
