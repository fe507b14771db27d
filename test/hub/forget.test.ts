import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Registry } from '../../hub/registry.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { PROTOCOL_VERSION } from '../../lib/wire.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { scriptedRegistry } from './scripted-prober.js';

const ann = { protocol: PROTOCOL_VERSION, url: 'https://127.0.0.1:1', labels: {}, probers: ['tcp'], ip_versions: [4] as Array<4 | 6>, version: 't' };

async function agentNames(hubUrl: string): Promise<string[]> {
  return ((await (await fetch(`${hubUrl}/agents/`)).json()) as { agents: Array<{ name: string }> }).agents.map((a) => a.name);
}

describe('Registry.remove and forgetSilent', () => {
  test('agents silent for longer than the limit are forgotten, in memory and in the store', async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryAgentStore();
    const reg = new Registry(store, 45_000, () => clock.now);
    await reg.init();
    await reg.accept('old', ann);
    clock.now += 10_000;
    await reg.accept('recent', ann);
    const before = reg.sdVersion();
    clock.now += 5_000;
    expect(await reg.forgetSilent(12_000)).toEqual(['old']);
    expect(reg.list().map((a) => a.name)).toEqual(['recent']);
    expect(reg.sdVersion()).not.toBe(before);
    expect((await store.load()).map((r) => r.name)).toEqual(['recent']);
    expect(await reg.remove('old')).toBe(false);
    expect(await reg.remove('recent')).toBe(true);
    expect(reg.list()).toEqual([]);
  });
});

describe('on a hub', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['a1', 'a2', 'a3'], probers: scriptedRegistry(), hub: { agent_forget_after: '3s' } });
  });
  afterAll(() => fleet?.close());

  test('DELETE /agents/NAME forgets an agent now (204), then it is unknown (404)', async () => {
    const a2 = fleet.exporters.find((e) => e.name === 'a2')!;
    a2.client.stop();
    const res = await fetch(`${fleet.hubUrl}/agents/a2`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await agentNames(fleet.hubUrl)).not.toContain('a2');
    const file = JSON.parse(await readFile(join(fleet.dir, 'hub-data', 'agents.json'), 'utf8')) as { agents: Array<{ name: string }> };
    expect(file.agents.map((a) => a.name)).not.toContain('a2');
    const again = await fetch(`${fleet.hubUrl}/agents/a2`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('PULSE_NOT_FOUND');
  });

  test('an agent silent for hub.agent_forget_after leaves /agents/; the others stay', async () => {
    fleet.exporters.find((e) => e.name === 'a3')!.client.stop();
    const until = Date.now() + 30_000;
    while ((await agentNames(fleet.hubUrl)).includes('a3') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const names = await agentNames(fleet.hubUrl);
    expect(names).not.toContain('a3');
    expect(names).toContain('a1');
  });
});
