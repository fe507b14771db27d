import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Scope } from '../../../hub/auth/scopes.js';
import { createToken, revokeToken } from '../../../lib/auth/token-file.js';
import { type Fleet, startFleet } from '../../helpers/fleet.js';

// Every users' port route, whoever added it, is found through hub.routes (an onRoute hook) and
// must refuse each kind of bad credential: a route added later is walked without editing this file.
let fleet: Fleet;
let dataDir = '';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  fleet = await startFleet({ agents: [], hub: { auth: { required: true } } });
  dataDir = join(fleet.dir, 'hub-data');
  for (const scope of ['read', 'run', 'operate', 'admin'] as Scope[]) {
    tokens[scope] = (await createToken(dataDir, { name: `only-${scope}`, scopes: [scope] })).token;
  }
  tokens.expired = (await createToken(dataDir, { name: 'expired', scopes: ['admin'], expiresAt: new Date(Date.now() - 1000) })).token;
  tokens.revoked = (await createToken(dataDir, { name: 'revoked', scopes: ['admin'] })).token;
  await revokeToken(dataDir, 'revoked');
}, 30_000);
afterAll(() => fleet?.close());

/** A concrete URL for a route pattern: every :param and wildcard becomes a plausible value. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, 'x1').replace(/\*/g, 'x1');
}

function inject(method: string, url: string, authorization?: string) {
  return fleet.hub.app.inject({
    method: method as 'GET',
    url: concrete(url),
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    ...(method === 'GET' || method === 'HEAD' || method === 'DELETE' ? {} : { payload: '{}' }),
  });
}

test('the walk sees the routes this hub is known to have, each with a scope', () => {
  const seen = fleet.hub.routes.map((r) => `${r.method} ${r.url} ${r.scope}`);
  for (const r of ['GET /agents/ read', 'POST /api/v1/measurements run', 'DELETE /agents/:name admin', 'POST /api/v1/operations operate', 'GET /-/healthy public']) {
    expect(seen).toContain(r);
  }
});

describe('every non-public route', () => {
  const wrong = (scope: string) => (scope === 'read' ? 'run' : 'read');
  const cases: Array<[string, (scope: string) => string | undefined, number]> = [
    ['no credentials', () => undefined, 401],
    ['a Basic header', () => 'Basic dXNlcjpwYXNz', 401],
    ['a token that is not a Pulse token', () => 'Bearer not-a-token', 401],
    ['an unknown token of the right shape', () => `Bearer pulse_0123456789abcdef_${'A'.repeat(43)}`, 401],
    ['an expired admin token', () => `Bearer ${tokens.expired}`, 401],
    ['a revoked admin token', () => `Bearer ${tokens.revoked}`, 401],
    ['a token with another scope', (scope) => `Bearer ${tokens[wrong(scope)]}`, 403],
  ];
  for (const [what, auth, status] of cases) {
    test(`refuses ${what} with ${status}`, async () => {
      const routes = fleet.hub.routes.filter((r) => r.scope !== 'public');
      expect(routes.length).toBeGreaterThan(10);
      for (const r of routes) {
        const res = await inject(r.method, r.url, auth(r.scope));
        expect({ route: `${r.method} ${r.url}`, status: res.statusCode }).toEqual({ route: `${r.method} ${r.url}`, status });
        if (r.method !== 'HEAD') {
          expect(res.json().error.code).toBe(status === 401 ? 'PULSE_UNAUTHENTICATED' : 'PULSE_FORBIDDEN');
        }
        if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });
  }

  test('lets the right scope through (to whatever the route answers next), and admin holds all', async () => {
    for (const r of fleet.hub.routes.filter((x) => x.scope !== 'public')) {
      for (const token of [tokens[r.scope]!, tokens.admin!]) {
        const res = await inject(r.method, r.url, `Bearer ${token}`);
        expect({ route: `${r.method} ${r.url}`, ok: res.statusCode !== 401 && res.statusCode !== 403 }).toEqual({ route: `${r.method} ${r.url}`, ok: true });
      }
    }
  });
});

test('public routes need no token', async () => {
  for (const r of fleet.hub.routes.filter((x) => x.scope === 'public')) {
    const res = await inject(r.method, r.url);
    expect([r.url, res.statusCode === 401 || res.statusCode === 403]).toEqual([r.url, false]);
  }
});

test('HEAD routes Fastify adds for GET are walked too', () => {
  expect(fleet.hub.routes.some((r) => r.method === 'HEAD' && r.url === '/sd' && r.scope === 'read')).toBe(true);
});

test('tokens created and revoked while the hub runs count at the next request', async () => {
  const { token } = await createToken(dataDir, { name: 'late', scopes: ['read'] });
  expect((await inject('GET', '/agents/', `Bearer ${token}`)).statusCode).toBe(200);
  await revokeToken(dataDir, 'late');
  const res = await inject('GET', '/agents/', `Bearer ${token}`);
  expect(res.statusCode).toBe(401);
  expect(res.json().error.message).toMatch(/revoked/);
});

test('/metrics counts scoped requests by identity, scope and outcome', async () => {
  await inject('POST', '/api/v1/measurements', `Bearer ${tokens.run}`);
  await inject('DELETE', '/agents/nobody', `Bearer ${tokens.read}`);
  const text = (await inject('GET', '/metrics', `Bearer ${tokens.read}`)).body;
  expect(text).toMatch(/pulse_hub_api_requests_total\{identity="only-run",scope="run",outcome="refused"\} [1-9]/);
  expect(text).toMatch(/pulse_hub_api_requests_total\{identity="unauthenticated",scope="admin",outcome="forbidden"\} [1-9]/);
  expect(text).toMatch(/pulse_hub_api_requests_total\{identity="unauthenticated",scope="read",outcome="unauthenticated"\} [1-9]/);
});
