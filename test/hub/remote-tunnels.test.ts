import { describe, expect, test } from 'vitest';
import { relayOutcome, routeReply, routeRequest } from '../../hub/links/redis/route-wire.js';
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
    const wire = JSON.parse(routeReply(7, 'r1', { kind: 'answer', status: 200, contentType: 'text/plain', body })) as { id: number; outcome: never };
    expect(wire.id).toBe(7);
    const back = relayOutcome(wire.outcome);
    expect(back).toMatchObject({ kind: 'answer', status: 200, contentType: 'text/plain' });
    expect(back.kind === 'answer' && back.body.equals(body)).toBe(true);
  });

  test('a request names its format, sender and agent', () => {
    const req = JSON.parse(routeRequest(3, 'r0', 'ams', 5000, { kind: 'relay', body: { path: '/metrics', headers: {} } })) as Record<string, unknown>;
    expect(req).toMatchObject({ format: 1, id: 3, from: 'r0', agent: 'ams', waitMs: 5000, call: { kind: 'relay' } });
  });
});
