import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Redis } from 'ioredis';
import type { Identity } from '../../../hub/auth/identity.js';
import { RateLimitedError, RateLimiter } from '../../../hub/rate/limiter.js';
import { MemoryCounters } from '../../../hub/store/memory-counters.js';
import { connectRedis } from '../../../hub/store/redis/client.js';
import { RedisResultStore } from '../../../hub/store/redis/results.js';
import type { CounterStore } from '../../../hub/store/results.js';
import { PulseError } from '../../../lib/errors.js';
import { type RedisServer, startRedis } from '../../helpers/redis-server.js';

/** hub.rate_limits on the embedded (in-memory) counters and on a real redis-server shared by two "replicas". */

const alice: Identity = { kind: 'token', name: 'alice', scopes: ['run'] };
const bob: Identity = { kind: 'token', name: 'bob', scopes: ['run'] };
const small = { agentTargets: 1, timeoutSeconds: 5 };

async function refusal(p: Promise<unknown>): Promise<RateLimitedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RateLimitedError);
  return err as RateLimitedError;
}

/** The same behaviour whatever store counts: `pair` gives two limiters (replicas) on one store, and its clock. */
function behaviour(name: string, pair: () => { a: RateLimiter; b: RateLimiter; clock: { t: number } }) {
  describe(name, () => {
    test('tests per minute: the next one is a 429 PULSE_RATE_LIMITED with the seconds left in the window; other identities are not affected', async () => {
      const { a, b } = pair();
      for (let i = 0; i < 3; i++) (await (i % 2 ? b : a).admit(alice, small))();
      const err = await refusal(a.admit(alice, small));
      expect(err.code).toBe('PULSE_RATE_LIMITED');
      expect(err.status).toBe(429);
      expect(err.message).toMatch(/alice started 3 .*hub\.rate_limits\.tests_per_minute/);
      expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(55);
      expect(err.retryAfterSeconds).toBeLessThanOrEqual(60);
      (await b.admit(bob, small))();
      // A certificate with the same name is another identity.
      (await b.admit({ ...alice, kind: 'certificate' }, small))();
    });

    test('concurrent measurements: a slot is held until released, on whichever replica; one identity cannot take the others\' room', async () => {
      const { a, b } = pair();
      const held = [await a.admit(alice, small), await b.admit(alice, small)];
      const err = await refusal(b.admit(alice, small));
      expect(err.message).toMatch(/already runs 2 .*concurrent_measurements/);
      expect(err.retryAfterSeconds).toBe(1);
      const bobs = [await a.admit(bob, small), await b.admit(bob, small)];
      held[0]!();
      held[0]!(); // twice is once
      const again = await a.admit(alice, small);
      await refusal(a.admit(alice, small));
      for (const r of [again, held[1]!, ...bobs]) r();
    });

    test('a slot never released (a crashed replica) is dropped after the run\'s timeout and a grace period', async () => {
      const { a, clock } = pair();
      await a.admit(alice, small);
      await a.admit(alice, small);
      await refusal(a.admit(alice, small));
      clock.t += 5_000 + 60_000 + 1;
      (await a.admit(alice, small))();
    });

    test('agents × targets above the limit is a 400 PULSE_MEASUREMENT_TOO_LARGE and uses no budget', async () => {
      const { a } = pair();
      for (let i = 0; i < 5; i++) {
        await expect(a.admit(alice, { agentTargets: 11, timeoutSeconds: 5 })).rejects.toMatchObject({ code: 'PULSE_MEASUREMENT_TOO_LARGE', status: 400 });
      }
      (await a.admit(alice, { agentTargets: 10, timeoutSeconds: 5 }))();
    });

    test('per-identity overrides replace the defaults for that name only', async () => {
      const { a } = pair();
      const ci: Identity = { kind: 'token', name: 'ci', scopes: ['run'] };
      const held = await Promise.all(Array.from({ length: 4 }, () => a.admit(ci, small)));
      await refusal(a.admit(ci, small));
      for (const r of held) r();
    });
  });
}

const settings = { tests_per_minute: 3, concurrent_measurements: 2, agent_targets_per_measurement: 10, identities: { ci: { concurrent_measurements: 4, tests_per_minute: 100 } } };

test('the embedded store\'s window counts down: Retry-After is what is left of the minute', async () => {
  const clock = { t: 5_000_000 };
  const limiter = new RateLimiter(new MemoryCounters(() => clock.t), settings, () => clock.t);
  for (let i = 0; i < 3; i++) (await limiter.admit(alice, small))();
  clock.t += 20_000;
  expect((await refusal(limiter.admit(alice, small))).retryAfterSeconds).toBe(40);
  clock.t += 40_000;
  (await limiter.admit(alice, small))();
});

behaviour('embedded store (one hub)', () => {
  const clock = { t: 1_000_000 };
  const counters = new MemoryCounters(() => clock.t);
  const now = () => clock.t;
  return { a: new RateLimiter(counters, settings, now), b: new RateLimiter(counters, settings, now), clock };
});

let server: RedisServer;
let redisA: Redis;
let redisB: Redis;
let n = 0;
beforeAll(async () => {
  server = await startRedis();
  redisA = await connectRedis({ kind: 'redis', url: server.url, key_prefix: 'p13r:' });
  redisB = await connectRedis({ kind: 'redis', url: server.url, key_prefix: 'p13r:' });
}, 30_000);
afterAll(async () => {
  redisA?.disconnect();
  redisB?.disconnect();
  await server?.remove();
});

behaviour('Redis store (two replicas, one redis-server)', () => {
  // Redis keeps real time for key expiry; the limiter's clock starts at the real one and moves on from there.
  const clock = { t: Date.now() };
  const now = () => clock.t;
  const prefix = `p13r:${n++}:`;
  const store = (r: Redis): CounterStore => new RedisResultStore(r, prefix, 86_400_000, server.url, now);
  return { a: new RateLimiter(store(redisA), settings, now), b: new RateLimiter(store(redisB), settings, now), clock };
});

test('hub.rate_limits: a wrong key or value is refused naming the file and key; unset keys take the defaults', async () => {
  const { parseConfig } = await import('../../../lib/config/load.js');
  const { limitsFor } = await import('../../../lib/config/hub-rate-limits.js');
  expect(() => parseConfig('hub:\n  rate_limits:\n    tests_per_minut: 5\n', 'hub.yml')).toThrow(/hub\.yml.*hub\.rate_limits\.tests_per_minut.*unknown key/s);
  expect(() => parseConfig('hub:\n  rate_limits:\n    concurrent_measurements: 0.5\n', 'hub.yml')).toThrow(/hub\.rate_limits\.concurrent_measurements/);
  expect(limitsFor(undefined, 'x')).toEqual({ tests_per_minute: 240, concurrent_measurements: 16, agent_targets_per_measurement: 10_000 });
  expect(limitsFor({ tests_per_minute: 10, identities: { ci: { concurrent_measurements: 2 } } }, 'ci')).toEqual({ tests_per_minute: 10, concurrent_measurements: 2, agent_targets_per_measurement: 10_000 });
});

test('with the shared store away, limits hold on this replica instead of refusing every run', async () => {
  const away: CounterStore = {
    increment: () => Promise.reject(new PulseError('PULSE_STORE_UNAVAILABLE', 'Redis at redis://127.0.0.1:1 is unavailable')),
    acquireSlot: () => Promise.reject(new PulseError('PULSE_STORE_UNAVAILABLE', 'Redis at redis://127.0.0.1:1 is unavailable')),
    releaseSlot: () => Promise.reject(new PulseError('PULSE_STORE_UNAVAILABLE', 'away')),
  };
  const limiter = new RateLimiter(away, settings);
  const held = [await limiter.admit(alice, small), await limiter.admit(alice, small)];
  await refusal(limiter.admit(alice, small));
  held[0]!();
  (await limiter.admit(alice, small))();
});
