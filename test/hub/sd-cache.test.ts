import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import { PROTOCOL_VERSION } from '../../lib/wire.js';
import { Registry } from '../../hub/registry.js';
import { buildSd } from '../../hub/sd.js';
import { SdCache } from '../../hub/sd-cache.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';

const INACTIVE_AFTER_MS = 45_000;

const ann = (over: Partial<Parameters<Registry['accept']>[1]> = {}) => ({
  protocol: PROTOCOL_VERSION,
  url: 'https://10.0.0.1:9115',
  labels: { site: 'ams' },
  probers: ['http'],
  ip_versions: [4] as Array<4 | 6>,
  version: '0.1.0',
  ...over,
});

const config = resolveConfig({
  targets: [
    { name: 'web', module: 'http_2xx', targets: ['https://a.test', 'https://b.test'] },
    { name: 'ams_only', module: 'tcp_connect', targets: ['192.0.2.1:443'], agents: { site: 'ams' } },
  ],
});

async function fleet() {
  const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
  const registry = new Registry(new MemoryAgentStore(), INACTIVE_AFTER_MS, () => clock.now);
  await registry.init();
  const cache = new SdCache(registry);
  /** The cached answer must always be what an uncached build would give now. */
  const check = (onlyJob?: string) => {
    const cached = cache.get(config.targets, onlyJob).toString('utf8');
    expect(cached).toBe(JSON.stringify(buildSd(config.targets, registry.list(), onlyJob)));
    return (JSON.parse(cached) as Array<{ labels: Record<string, string> }>).map((g) => `${g.labels.agent}/${g.labels.job}`);
  };
  return { clock, registry, cache, check };
}

describe('Registry.sdVersion', () => {
  test('kept across heartbeats that change nothing, changed by what /sd shows', async () => {
    const { clock, registry } = await fleet();
    await registry.accept('ams1', ann());
    const v1 = registry.sdVersion();
    clock.now += 10_000;
    await registry.accept('ams1', ann());
    expect(registry.sdVersion()).toBe(v1);

    await registry.accept('nyc1', ann({ labels: { site: 'nyc' } }));
    const v2 = registry.sdVersion();
    expect(v2).not.toBe(v1);
    await registry.accept('nyc1', ann({ labels: { site: 'nyc' }, url: 'https://10.0.0.2:9115' }));
    const v3 = registry.sdVersion();
    expect(v3).not.toBe(v2);
    await registry.accept('nyc1', ann({ labels: { site: 'nyc', rack: 'r1' }, url: 'https://10.0.0.2:9115' }));
    const v4 = registry.sdVersion();
    expect(v4).not.toBe(v3);
    await registry.refuse('nyc1', 'protocol 9 is not supported', { protocol: 9 });
    expect(registry.sdVersion()).not.toBe(v4);
  });

  test('changes when an agent ages past agent_inactive_after, and when it comes back', async () => {
    const { clock, registry } = await fleet();
    await registry.accept('ams1', ann());
    clock.now += 20_000;
    await registry.accept('nyc1', ann({ labels: { site: 'nyc' } }));
    const v1 = registry.sdVersion();
    clock.now += INACTIVE_AFTER_MS - 20_000;
    expect(registry.sdVersion()).toBe(v1);
    clock.now += 1;
    const v2 = registry.sdVersion();
    expect(v2).not.toBe(v1);
    expect(registry.list().map((a) => [a.name, a.active])).toEqual([
      ['ams1', false],
      ['nyc1', true],
    ]);
    await registry.accept('ams1', ann());
    expect(registry.sdVersion()).not.toBe(v2);
  });

  test('agents loaded from the store count as active only while their heartbeat is recent', async () => {
    const store = new MemoryAgentStore();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const first = new Registry(store, INACTIVE_AFTER_MS, () => now);
    await first.accept('ams1', ann());
    now += 30_000;
    await first.accept('nyc1', ann({ labels: { site: 'nyc' } }));
    now += 20_000;
    const again = new Registry(store, INACTIVE_AFTER_MS, () => now);
    await again.init();
    const cache = new SdCache(again);
    const agentsIn = () => (JSON.parse(cache.get(config.targets).toString('utf8')) as Array<{ labels: { agent: string } }>).map((g) => g.labels.agent);
    expect(new Set(agentsIn())).toEqual(new Set(['nyc1']));
    now += 30_000;
    expect(agentsIn()).toEqual([]);
  });
});

describe('SdCache', () => {
  test('the same answer as building it afresh, through every change', async () => {
    const { clock, registry, check } = await fleet();
    expect(check()).toEqual([]);
    await registry.accept('ams1', ann());
    await registry.accept('nyc1', ann({ labels: { site: 'nyc' }, url: 'https://10.0.0.2:9115' }));
    expect(check()).toEqual(['ams1/web', 'ams1/web', 'nyc1/web', 'nyc1/web', 'ams1/ams_only']);
    expect(check('ams_only')).toEqual(['ams1/ams_only']);

    // A heartbeat keeps the cached answer, byte for byte the same.
    clock.now += 15_000;
    await registry.accept('ams1', ann());
    expect(check()).toHaveLength(5);

    // nyc1 moves to ams: it joins the ams_only job.
    await registry.accept('nyc1', ann({ url: 'https://10.0.0.2:9115' }));
    expect(check('ams_only')).toEqual(['ams1/ams_only', 'nyc1/ams_only']);

    // nyc1 stops sending heartbeats; ams1 keeps on. nyc1 is active up to exactly 45 s of silence.
    clock.now += INACTIVE_AFTER_MS;
    await registry.accept('ams1', ann());
    expect(check('ams_only')).toEqual(['ams1/ams_only', 'nyc1/ams_only']);
    clock.now += 1;
    expect(check()).toEqual(['ams1/web', 'ams1/web', 'ams1/ams_only']);
    expect(check('ams_only')).toEqual(['ams1/ams_only']);

    // Back again, then refused.
    await registry.accept('nyc1', ann({ labels: { site: 'nyc' }, url: 'https://10.0.0.2:9115' }));
    expect(check()).toEqual(['ams1/web', 'ams1/web', 'nyc1/web', 'nyc1/web', 'ams1/ams_only']);
    await registry.refuse('nyc1', 'protocol 9 is not supported', { protocol: 9 });
    expect(check()).toEqual(['ams1/web', 'ams1/web', 'ams1/ams_only']);
  });

  test('a new jobs list (a reloaded config) is not answered from the old one', async () => {
    const { registry, cache } = await fleet();
    await registry.accept('ams1', ann());
    const before = cache.get(config.targets).toString('utf8');
    const web = config.targets.filter((j) => j.name === 'web');
    const after = cache.get(web).toString('utf8');
    expect(after).not.toBe(before);
    expect(after).toBe(JSON.stringify(buildSd(web, registry.list())));
  });
});
