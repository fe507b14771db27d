import { describe, expect, test } from 'vitest';
import { Coalescer } from '../../hub/links/redis/coalesce.js';
import { relayOutcome, requestIds, routeReplies, routeRequests, wireOutcome } from '../../hub/links/redis/route-wire.js';
import { Registry } from '../../hub/registry.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { PROTOCOL_VERSION } from '../../lib/wire.js';

const ann = { protocol: PROTOCOL_VERSION, url: 'https://0.0.0.0:9115', labels: { site: 'ams' }, probers: ['tcp'], ip_versions: [4], version: 't' };

describe('a dial-out agent tunnelled to another replica', () => {
  test('is active here while another replica holds its tunnel, and inactive once none does', async () => {
    const registry = new Registry(new MemoryAgentStore(), 30_000);
    await registry.init();
    // Its record arrives from the shared store; the tunnel is elsewhere.
    registry.applyShared('ams', { ...ann, name: 'ams', first_seen: new Date().toISOString(), last_seen: new Date().toISOString(), refused: null, mode: 'dial-out' });
    expect(registry.get('ams')?.active).toBe(false);
    const before = registry.sdVersion();
    registry.remoteTunnel('ams', true);
    expect(registry.get('ams')).toMatchObject({ active: true, connection: { mode: 'dial-out', connected: true } });
    expect(registry.sdVersion()).toBeGreaterThan(before);
    registry.remoteTunnel('ams', false);
    expect(registry.get('ams')?.active).toBe(false);
  });

  test("this replica's own tunnel closing keeps it active while another replica holds a newer one", async () => {
    const registry = new Registry(new MemoryAgentStore(), 30_000);
    await registry.init();
    const seen: Array<[string, boolean]> = [];
    registry.onTunnel((name, up) => seen.push([name, up]));
    registry.tunnelUp('ams');
    await registry.accept('ams', ann as never, 'dial-out');
    registry.remoteTunnel('ams', true);
    registry.tunnelDown('ams');
    expect(seen).toEqual([
      ['ams', true],
      ['ams', false],
    ]);
    expect(registry.get('ams')?.active).toBe(true);
  });
});

describe('route messages', () => {
  test('a relayed answer crosses as bytes, unchanged', () => {
    const body = Buffer.from([0, 1, 2, 255, 10, 13]);
    const wire = JSON.parse(routeReplies('r1', [{ id: 7, outcome: wireOutcome({ kind: 'answer', status: 200, contentType: 'text/plain', body }) }])) as { by: string; replies: Array<{ id: number; outcome: never }> };
    expect(wire.by).toBe('r1');
    expect(wire.replies[0]!.id).toBe(7);
    const back = relayOutcome(wire.replies[0]!.outcome);
    expect(back).toMatchObject({ kind: 'answer', status: 200, contentType: 'text/plain' });
    expect(back.kind === 'answer' && back.body.equals(body)).toBe(true);
  });

  test('a message names its format and sender, and carries a batch of calls', () => {
    const calls = [
      { id: 3, agent: 'ams', waitMs: 5000, call: { kind: 'relay', body: { path: '/metrics', headers: {} } } },
      { id: 4, agent: 'fra', waitMs: 5000, call: { kind: 'relay', body: { path: '/metrics', headers: {} } } },
    ] as const;
    const msg = JSON.parse(routeRequests('r0', [...calls])) as Record<string, unknown>;
    expect(msg).toMatchObject({ format: 2, from: 'r0', requests: [{ id: 3, agent: 'ams', waitMs: 5000, call: { kind: 'relay' } }, { id: 4, agent: 'fra' }] });
  });

  test('the ids of a message in an older format are still found, to answer each call', () => {
    expect(requestIds({ format: 1, id: 9 })).toEqual([9]);
    expect(requestIds({ format: 2, requests: [{ id: 1 }, { id: 2 }] })).toEqual([1, 2]);
    expect(requestIds({ format: 2, replies: [{ id: 5 }] })).toEqual([5]);
  });
});

describe('coalesced publishing', () => {
  test('messages for one channel in the same turn go out as one, each learning its result', async () => {
    const sent: Array<[string, number[]]> = [];
    const c = new Coalescer<number, number>(async (channel, items) => {
      sent.push([channel, items]);
      return items.length;
    }, 3);
    const results = await Promise.all([c.add('a', 1), c.add('a', 2), c.add('b', 10), c.add('a', 3), c.add('a', 4)]);
    // 'a' reached the cap of 3 at once; its fourth went with the end of the turn, as did 'b'.
    expect(sent).toEqual([
      ['a', [1, 2, 3]],
      ['b', [10]],
      ['a', [4]],
    ]);
    expect(results).toEqual([3, 3, 1, 3, 1]);
    await expect(c.add('c', 1)).resolves.toBe(1);
  });

  test('a failed publish fails every call of its batch', async () => {
    const c = new Coalescer<number, number>(() => Promise.reject(new Error('redis away')));
    const all = await Promise.allSettled([c.add('a', 1), c.add('a', 2)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
