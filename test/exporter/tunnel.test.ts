import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reconnectDelay } from '../../exporter/tunnel/backoff.js';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure } from '../hub/client.js';
import { scriptedRegistry } from '../hub/scripted-prober.js';

describe('reconnect backoff', () => {
  test('before the first tunnel, retries stay within a second so a hub that comes up is found at once', () => {
    for (let attempt = 0; attempt < 50; attempt++) {
      expect(reconnectDelay(attempt, false, () => 1)).toBeLessThanOrEqual(1000);
    }
    expect(reconnectDelay(0, false, () => 0)).toBe(125);
  });

  test('after a lost tunnel, the window doubles up to 30 s and the wait is anywhere in it', () => {
    expect(reconnectDelay(0, true, () => 0.999)).toBeCloseTo(999, 0);
    expect(reconnectDelay(3, true, () => 0.999)).toBeCloseTo(7992, 0);
    expect(reconnectDelay(20, true, () => 0.999)).toBeCloseTo(29_970, 0);
    // Never a tight loop, whatever the dice.
    expect(reconnectDelay(0, true, () => 0)).toBe(50);
    const waits = Array.from({ length: 1000 }, () => reconnectDelay(4, true));
    expect(Math.min(...waits)).toBeLessThan(2000);
    expect(Math.max(...waits)).toBeGreaterThan(14_000);
  });
});

describe('a dial-out exporter whose only way out is an HTTP CONNECT proxy', () => {
  let fleet: Fleet;
  let proxy: ConnectProxy;
  let hubPort: number;
  beforeAll(async () => {
    fleet = await startFleet({ probers: scriptedRegistry() });
    hubPort = Number(new URL(fleet.agentUrl).port);
    proxy = await startConnectProxy({ user: 'school', password: 'p@ss:word', allowed: (t) => t === `127.0.0.1:${hubPort}` });
  });
  afterAll(async () => {
    await fleet?.close();
    await proxy?.close();
  });

  test('registers through the proxy with basic credentials, and tests reach it', async () => {
    await fleet.addExporter({ name: 'school', mode: 'dial-out', hub: { proxy_url: proxy.url } });
    await fleet.waitActive(['school'], 5000);
    expect(proxy.seen).toContainEqual({ target: `127.0.0.1:${hubPort}`, authorized: true });
    const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'school' } });
    expect(m.summary.ok).toBe(1);
  });

  test('wrong credentials: the proxy refuses, the agent stays unregistered and keeps trying', async () => {
    const wrong = new URL(proxy.url);
    wrong.password = 'nope';
    await fleet.addExporter({ name: 'locked-out', mode: 'dial-out', hub: { proxy_url: wrong.toString() } });
    await new Promise((r) => setTimeout(r, 1000));
    const refused = proxy.seen.filter((s) => !s.authorized);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(fleet.hub.registry.get('locked-out')).toBeUndefined();
  });
});
