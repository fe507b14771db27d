import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../../hub/store/redis/client.js';
import { RedisResultStore } from '../../../hub/store/redis/results.js';
import { type RedisServer, startRedis } from '../../helpers/redis-server.js';
import { measurement } from './results-fixture.js';

/** The Redis result store against a real redis-server: paging, expiry, counters, refusals. */

const DAY = 86_400_000;
let server: RedisServer;
let redis: Redis;

beforeAll(async () => {
  server = await startRedis();
  redis = await connectRedis({ kind: 'redis', url: server.url, key_prefix: 'p14u:' });
}, 30_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.remove();
});

describe('RedisResultStore', () => {
  test('history pages across more measurements than one round trip reads, newest first, with no row twice', async () => {
    const now = Date.now();
    const store = new RedisResultStore(redis, 'p14u:page:', 7 * DAY, server.url, () => now);
    // 1,200 measurements: more than the 500 read per round trip.
    const all = Array.from({ length: 1200 }, (_, i) => measurement({ at: now - 10_000_000 + i * 1000, id: `pg${String(i).padStart(4, '0')}`, agents: ['ams'] }));
    for (let i = 0; i < all.length; i += 100) await Promise.all(all.slice(i, i + 100).map((m) => store.putMeasurement(m)));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.history({ agent: 'ams', limit: 400, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => r.measurement));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    expect(seen[0]).toBe('pg1199');
    expect(seen.at(-1)).toBe('pg0000');
    const window = await store.history({ since: now - 10_000_000 + 5000, until: now - 10_000_000 + 7000, limit: 10 });
    expect(window.rows.map((r) => r.measurement)).toEqual(['pg0007', 'pg0006', 'pg0005']);
    await expect(store.history({ limit: 1, cursor: 'nope' })).rejects.toMatchObject({ code: 'PULSE_BAD_REQUEST' });
  }, 60_000);

  test('a result is stored with the rest of its retention as its expiry; one already past it is not stored', async () => {
    const now = Date.now();
    const store = new RedisResultStore(redis, 'p14u:ttl:', DAY, server.url, () => now);
    const fresh = measurement({ at: now - 1000, id: 'fresh' });
    await store.putMeasurement(fresh);
    await store.putMeasurement(measurement({ at: now - 2 * DAY, id: 'stale' }));
    expect(await store.getMeasurement('fresh')).toEqual(fresh);
    expect(await store.getMeasurement('stale')).toBeUndefined();
    const ttl = await redis.pttl('p14u:ttl:m:fresh');
    expect(ttl).toBeGreaterThan(DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY);
  });

  test('counters are atomic across clients and expire with their window', async () => {
    const store = new RedisResultStore(redis, 'p14u:c:', DAY, server.url);
    const second = await connectRedis({ kind: 'redis', url: server.url, key_prefix: 'p14u:' });
    const other = new RedisResultStore(second, 'p14u:c:', DAY, server.url, Date.now, async () => second.disconnect());
    const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).increment('user:alice', 300)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(counts[0]!.resetAt).toBeGreaterThan(Date.now() - 1000);
    await new Promise((r) => setTimeout(r, 400));
    expect((await store.increment('user:alice', 300)).count).toBe(1);
    await other.close();
  });

  test('no url, or a server that is not there, is refused at start with the reason', async () => {
    await expect(connectRedis({ kind: 'redis', key_prefix: 'x:' })).rejects.toThrow(/hub\.store\.url is required/);
    await expect(connectRedis({ kind: 'redis', url: 'redis://127.0.0.1:1', key_prefix: 'x:' })).rejects.toMatchObject({ code: 'PULSE_STORE_UNAVAILABLE' });
  });
});
