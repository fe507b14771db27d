import { describe, expect, test } from 'vitest';
import { Registry } from '../../hub/registry.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import type { AgentRecord } from '../../hub/store/types.js';

/** Changes another replica made, as a shared store (Redis) reports them to this registry. */

const T0 = Date.parse('2026-03-01T00:00:00Z');

function rec(name: string, lastSeen: number, extra: Partial<AgentRecord> = {}): AgentRecord {
  return {
    name,
    labels: { site: name },
    url: `https://127.0.0.1:1${name.length}`,
    version: '0.1.0',
    protocol: 1,
    probers: ['tcp'],
    ip_versions: [4],
    first_seen: new Date(T0).toISOString(),
    last_seen: new Date(lastSeen).toISOString(),
    refused: null,
    ...extra,
  };
}

describe('Registry.applyShared', () => {
  test('an agent another replica accepted is active here, and /sd\'s version moves only when presence changes', async () => {
    let now = T0;
    const reg = new Registry(new MemoryAgentStore(), 30_000, () => now);
    await reg.init();
    const v0 = reg.sdVersion();
    reg.applyShared('ams', rec('ams', now));
    expect(reg.list().map((a) => [a.name, a.active])).toEqual([['ams', true]]);
    const v1 = reg.sdVersion();
    expect(v1).toBeGreaterThan(v0);
    // A heartbeat that changes nothing keeps the version (the /sd cache stays).
    now += 1000;
    reg.applyShared('ams', rec('ams', now));
    expect(reg.sdVersion()).toBe(v1);
    // New labels do move it.
    reg.applyShared('ams', rec('ams', now, { labels: { site: 'ams', rack: 'r2' } }));
    expect(reg.sdVersion()).toBeGreaterThan(v1);
  });

  test('an older copy arriving late is ignored; a removal and a refusal are applied', async () => {
    const now = T0 + 10_000;
    const reg = new Registry(new MemoryAgentStore(), 30_000, () => now);
    await reg.init();
    reg.applyShared('fra', rec('fra', now));
    reg.applyShared('fra', rec('fra', now - 5000, { url: 'https://127.0.0.1:9' }));
    expect(reg.list()[0]!.url).not.toBe('https://127.0.0.1:9');
    const v = reg.sdVersion();
    reg.applyShared('fra', rec('fra', now, { refused: 'protocol 9 is not supported' }));
    expect(reg.list()[0]!.active).toBe(false);
    expect(reg.sdVersion()).toBeGreaterThan(v);
    reg.applyShared('fra', null);
    expect(reg.list()).toEqual([]);
  });
});
