import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';

// Malformed requests to both programs, kept as one table: each gets a 4xx with a PULSE_* code and
// a reason, never a 5xx, a crash or a hang (inject has no network in between).
let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ agents: ['m1'] });
}, 60_000);
afterAll(() => fleet?.close());

const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepArray = (n: number) => `{"type":"http","target":"http://x/","options":${'['.repeat(n)}${']'.repeat(n)}}`;

const BODIES: Array<[string, string]> = [
  ['not JSON', 'hello'],
  ['truncated JSON', '{"type":"http"'],
  ['empty', ''],
  ['whitespace', '   '],
  ['null', 'null'],
  ['a string', '"http"'],
  ['a number', '42'],
  ['an array', '[]'],
  ['__proto__ key', '{"__proto__":{"polluted":1},"type":"http","target":"http://x/"}'],
  ['nested __proto__', '{"type":"http","target":"http://x/","options":{"__proto__":{}}}'],
  ['constructor.prototype', '{"type":"http","target":"http://x/","options":{"constructor":{"prototype":{"x":1}}}}'],
  ['2,000 levels of objects', deep(2000)],
  ['2,000 levels of arrays in options', deepArray(2000)],
  ['40 levels', deep(40)],
  ['unknown type', '{"type":"nope","target":"x"}'],
  ['type not a string', '{"type":5,"target":"x"}'],
  ['target not a string', '{"type":"http","target":5}'],
  ['timeout negative', '{"type":"tcp","target":"127.0.0.1:1","timeout":-1}'],
  ['timeout zero', '{"type":"tcp","target":"127.0.0.1:1","timeout":0}'],
  ['timeout huge', '{"type":"tcp","target":"127.0.0.1:1","timeout":1e9}'],
  ['timeout a string', '{"type":"tcp","target":"127.0.0.1:1","timeout":"10"}'],
  ['options an array', '{"type":"tcp","target":"127.0.0.1:1","options":[]}'],
  ['agents a number', '{"type":"tcp","target":"127.0.0.1:1","agents":5}'],
  ['unknown field', '{"type":"tcp","target":"127.0.0.1:1","bogus":true}'],
  ['invalid UTF-16 escape', '{"type":"\\ud800","target":"x"}'],
];

const HUB_POSTS = ['/api/v1/measurements', '/dns/', '/curl/', '/mtr/', '/api/v1/operations'];

async function expectClientError(res: { statusCode: number; body: string }, what: string, text = false): Promise<void> {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
  if (text) {
    expect(res.body.trim().length, what).toBeGreaterThan(0);
    return;
  }
  const body = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
  expect(body.error?.code, what).toMatch(/^PULSE_[A-Z_]+$/);
  expect(body.error?.message?.length ?? 0, what).toBeGreaterThan(0);
  expect(body.error?.message, what).not.toMatch(/call stack|internal/i);
}

let count = 0;

test('hub: every POST route refuses each malformed body with a 4xx and a reason', async () => {
  for (const url of HUB_POSTS) {
    for (const [what, payload] of BODIES) {
      // Bodies that are valid for a different route shape still must not 5xx; the rest must 4xx.
      const res = await fleet.hub.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });
      await expectClientError(res, `${url} ${what}`);
      count++;
    }
  }
});

test('hub: wrong content types, odd URLs and parameters', async () => {
  const cases: Array<{ method: 'GET' | 'POST' | 'DELETE'; url: string; type?: string; payload?: string }> = [
    { method: 'POST', url: '/api/v1/measurements', type: 'text/plain', payload: '{}' },
    { method: 'POST', url: '/api/v1/measurements', type: 'application/x-www-form-urlencoded', payload: 'a=b' },
    { method: 'POST', url: '/api/v1/measurements', payload: '{}' },
    { method: 'POST', url: '/dns/', type: 'multipart/form-data; boundary=x', payload: '--x--' },
    { method: 'GET', url: '/api/v1/measurements/%' },
    { method: 'GET', url: '/api/v1/measurements/nope' },
    { method: 'GET', url: `/api/v1/measurements/${'x'.repeat(5000)}` },
    { method: 'GET', url: '/api/v1/operations/nope' },
    { method: 'GET', url: '/sd?job=nope' },
    { method: 'GET', url: '/sd?job=a&job=b' },
    { method: 'DELETE', url: '/agents/nobody' },
    { method: 'DELETE', url: '/agents/%E0%A4%A' },
    { method: 'GET', url: '/nope' },
    { method: 'GET', url: '/ui/../../etc/passwd' },
    { method: 'GET', url: '/ui/evil.js' },
  ];
  for (const c of cases) {
    const res = await fleet.hub.app.inject({ method: c.method, url: c.url, ...(c.type ? { headers: { 'content-type': c.type } } : {}), ...(c.payload !== undefined ? { payload: c.payload } : {}) });
    await expectClientError(res, `${c.method} ${c.url.slice(0, 60)}`);
    count++;
  }
});

test('exporter: /api/v1/run bodies and /probe queries', async () => {
  const app = fleet.exporters[0]!.exporter.app;
  for (const [what, payload] of BODIES) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/run', headers: { 'content-type': 'application/json' }, payload });
    await expectClientError(res, `run ${what}`);
    count++;
  }
  const queries = [
    '/probe',
    '/probe?module=nope&target=x',
    '/probe?module=http_2xx',
    '/probe?module=http_2xx&target=a&target=b',
    '/probe?module=a&module=b&target=x',
    '/probe?target=%',
    '/probe?module=http_2xx&target=',
    `/probe?module=http_2xx&target=${'x'.repeat(10_000)}`,
    '/probe?module=http_2xx&target=http://%zz/',
    '/probe?module=__proto__&target=x',
    '/probe?module=constructor&target=x',
  ];
  for (const url of queries) {
    const res = await app.inject({ method: 'GET', url });
    await expectClientError(res, `GET ${url.slice(0, 60)}`, true);
    count++;
  }
  expect(count).toBeGreaterThanOrEqual(150);
});

test('a timeout that is not a whole number of milliseconds still gives every agent a row', async () => {
  await fleet.waitActive(['m1']);
  const res = await fleet.hub.app.inject({
    method: 'POST',
    url: '/api/v1/measurements',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    payload: JSON.stringify({ type: 'tcp', target: '127.0.0.1:9', timeout: 0.3333 }),
  });
  expect(res.statusCode).toBe(200);
  const rows = (res.json() as { rows: Array<{ agent: string; status: string }> }).rows;
  expect(rows.map((r) => r.agent)).toEqual(['m1']);
  expect(['failed', 'timeout']).toContain(rows[0]!.status);
});
