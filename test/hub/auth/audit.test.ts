import { expect, test } from 'vitest';
import { outcomeOf, whatOf } from '../../../hub/auth/audit.js';

test('outcomes by status', () => {
  expect([200, 204, 308, 400, 401, 403, 429, 503].map(outcomeOf)).toEqual(['ok', 'ok', 'ok', 'refused', 'unauthenticated', 'forbidden', 'rate_limited', 'error']);
});

test('what a request asked to run: targets and agents from the body, cut short', () => {
  const req = (body: unknown) => ({ body }) as never;
  expect(whatOf(req({ type: 'http', target: 'http://x/', agents: { region: 'eu' } }))).toEqual({ type: 'http', targets: '"http://x/"', agents: '{"region":"eu"}' });
  expect(whatOf(req({ Targets: ['a', 'b'] }))).toEqual({ targets: '["a","b"]' });
  expect((whatOf(req({ target: 'x'.repeat(2000) })).targets as string).length).toBe(500);
  expect(whatOf(req(null))).toEqual({});
});
