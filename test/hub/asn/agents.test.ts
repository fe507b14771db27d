import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { agentNetworkLookup, plainAddress } from '../../../hub/asn/agent-network.js';
import { buildAsnService } from '../../../hub/asn/build.js';
import { MemoryAsnDbStore } from '../../../hub/asn/asndb-store.js';
import { Registry } from '../../../hub/registry.js';
import { selectAgents } from '../../../hub/select-agents.js';
import { matchesSelector, parseSelector } from '../../../hub/selector.js';
import { MemoryAgentStore } from '../../../hub/store/memory.js';
import { agentNetwork } from '../../../client/network.js';
import { agentsTable } from '../../../cli/format/results.js';
import { systemResolvers } from '../../../exporter/probers/dns/system-resolvers.js';
import { PROTOCOL_VERSION } from '../../../lib/wire.js';
import { type Fleet, startFleet } from '../../helpers/fleet.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/asn');

const ann = (over: Record<string, unknown> = {}) => ({
  protocol: PROTOCOL_VERSION,
  url: 'https://192.0.2.10:9115',
  labels: { site: 'ams' },
  probers: ['dns'],
  ip_versions: [4] as Array<4 | 6>,
  version: '0.1.0',
  ...over,
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('agent identity in the registry', () => {
  test('the public address is recorded with its network; moving drops the old network', async () => {
    const registry = new Registry(new MemoryAgentStore(), 60_000);
    await registry.init();
    const asn = await buildAsnService({ offline: true, offline_dir: FIXTURE, mmdb: [] }, '/nonexistent', new MemoryAsnDbStore());
    const identify = agentNetworkLookup(registry, asn, { warn: () => undefined });

    await registry.accept('a1', ann({ resolvers: ['192.0.2.53'], addresses: ['192.0.2.10'] }), 'direct', { public_address: '8.8.8.8' });
    identify('a1', '8.8.8.8');
    await until(() => registry.get('a1')?.asn !== undefined);
    expect(registry.get('a1')).toMatchObject({ public_address: '8.8.8.8', asn: 'AS15169', as_name: 'Google LLC', resolvers: ['192.0.2.53'], addresses: ['192.0.2.10'] });

    // A heartbeat from the same address keeps the network without a new lookup.
    await registry.accept('a1', ann(), 'direct', { public_address: '8.8.8.8' });
    expect(registry.get('a1')?.asn).toBe('AS15169');
    // Moved to a private network: the address changes and nothing is claimed about it.
    await registry.accept('a1', ann(), 'direct', { public_address: '10.1.1.1' });
    identify('a1', '10.1.1.1');
    expect(registry.get('a1')?.asn).toBeUndefined();
    expect(registry.get('a1')?.public_address).toBe('10.1.1.1');
    // An older agent (no resolvers, no addresses) still registers.
    await registry.accept('old', ann());
    expect(registry.get('old')?.resolvers).toBeUndefined();
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('::1')).toBe('::1');
  });

  test('selectors: asn=, limit=N and same_as=ID; bad values refused', () => {
    const view = (name: string, asn: string | undefined, active = true) => ({
      name,
      labels: { site: name.slice(0, 3) },
      url: '',
      version: '',
      protocol: 1,
      probers: [],
      ip_versions: [],
      last_seen: '',
      refused: null,
      active,
      ...(asn ? { asn } : {}),
    });
    const agents = [view('ams-1', 'AS3320', false), view('ams-2', 'AS3320'), view('ams-3', 'AS3320'), view('fra-1', 'AS15169'), view('fra-2', undefined)];
    const pick = (raw: Record<string, string>, rows?: Array<{ agent: string }>) => {
      const sel = parseSelector(raw);
      return selectAgents(sel, agents, (a) => matchesSelector(sel, a), () => rows).map((a) => a.name);
    };
    expect(pick({ asn: 'AS3320' })).toEqual(['ams-1', 'ams-2', 'ams-3']);
    expect(pick({ asn: '15169' })).toEqual(['fra-1']);
    // Active agents first: an inactive one would only give an offline row.
    expect(pick({ asn: 'as3320', limit: '2' })).toEqual(['ams-2', 'ams-3']);
    expect(pick({ same_as: 'm-1' }, [{ agent: 'fra-1' }, { agent: 'ams-1' }, { agent: 'ams-1' }])).toEqual(['ams-1', 'fra-1']);
    expect(() => pick({ same_as: 'gone' }, undefined)).toThrow(/no measurement gone/);
    expect(() => parseSelector({ limit: '0' })).toThrow(/limit/);
    expect(() => parseSelector({ limit: 'many' })).toThrow(/limit/);
    expect(() => parseSelector({ asn: 'Telekom' })).toThrow(/not an AS number/);
    expect(() => parseSelector({ same_as: '../x' })).toThrow(/measurement id/);
  });

  test('the CLI shows the network column only when the hub reports one', () => {
    const base = { name: 'a', labels: {}, url: '', version: '1', protocol: 1, probers: ['dns'], ip_versions: [], last_seen: new Date().toISOString(), refused: null, active: true };
    expect(agentsTable([base], new Date()).headers).not.toContain('NETWORK');
    const full = { ...base, public_address: '8.8.8.8', asn: 'AS15169', as_name: 'Google LLC', resolvers: ['192.0.2.53', '192.0.2.54'] };
    const t = agentsTable([full], new Date());
    expect(t.headers.at(-1)).toBe('NETWORK');
    expect(t.rows[0]?.at(-1)).toBe('8.8.8.8 AS15169 Google LLC · dns 192.0.2.53,192.0.2.54');
    expect(agentNetwork({ ...base, public_address: '127.0.0.1' })).toBe('127.0.0.1');
  });
});

describe('a real agent reports its resolvers and addresses', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['id-1'], hub: { asn: { offline_dir: FIXTURE } } });
  });
  afterAll(async () => fleet?.close());

  test('/agents/ lists the public address the hub saw, resolv.conf nameservers and the host addresses', async () => {
    const res = await fetch(`${fleet.hubUrl}/agents/`);
    const { agents } = (await res.json()) as { agents: Array<Record<string, unknown>> };
    const a = agents.find((x) => x.name === 'id-1')!;
    expect(a.public_address).toBe('127.0.0.1');
    expect(a.resolvers).toEqual(systemResolvers());
    expect(Array.isArray(a.addresses)).toBe(true);
    // Loopback has no network: nothing is claimed.
    expect(a.asn).toBeUndefined();
  });
});
