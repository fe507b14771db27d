import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { enforceScopes } from '../../../hub/auth/enforce.js';
import { TokenVerifier } from '../../../hub/auth/token-verifier.js';
import { installErrorHandlers } from '../../../hub/routes/errors.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-enforce-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function app(required: boolean): FastifyInstance {
  const a = Fastify();
  enforceScopes(a, { required, tokens: new TokenVerifier(dir), clientScopes: () => ['read'] });
  installErrorHandlers(a);
  return a;
}

test('a route without a scope, or with an unknown one, cannot be added', async () => {
  const a = app(true);
  expect(() => a.get('/open', async () => 'x')).toThrow(/GET \/open declares no scope/);
  expect(() => a.get('/typo', { config: { scope: 'reed' as never } }, async () => 'x')).toThrow(/declares no scope/);
  // A plugin's route is added when the app gets ready: the hub then fails to start.
  const b = app(true);
  b.register(async (child) => {
    child.post('/late', async () => 'x');
  });
  await expect(b.ready()).rejects.toThrow(/POST \/late declares no scope/);
});

test('without required auth, anonymous callers pass, and a bad token is still refused', async () => {
  const a = app(false);
  a.get('/r', { config: { scope: 'admin' } }, async (req) => ({ who: req.pulseIdentity?.name }));
  expect((await a.inject('/r')).json()).toEqual({ who: 'anonymous' });
  expect((await a.inject({ url: '/r', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  await a.close();
});
