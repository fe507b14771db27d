import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeFleetPki } from '../../bench/fleet-pki.js';
import { type SimTunnels, startSimTunnels } from '../../bench/tunnel-sim-core.js';
import { resolveConfig } from '../../lib/config/load.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { waitFor } from './operations-fixture.js';

const AGENTS = 200;

describe(`a hub restart under ${AGENTS} dial-out agents`, () => {
  let dir: string;
  let hub: Hub;
  let sims: SimTunnels;
  let config: ReturnType<typeof resolveConfig>;
  let agentAddress: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-restart-'));
    const pki = await makeFleetPki(join(dir, 'pki'), AGENTS);
    config = resolveConfig({
      hub: {
        listen: '127.0.0.1:0',
        agent_listen: '127.0.0.1:0',
        agent_tls: { cert_file: pki.hub.certFile, key_file: pki.hub.keyFile, ca_file: pki.caFile },
      },
    });
    hub = await buildHub({ config, store: new MemoryAgentStore() });
    agentAddress = (await hub.listen()).agent;
    sims = await startSimTunnels({ agents: pki.agents, caFile: pki.caFile, hubAgentUrl: `https://${agentAddress}`,
      delayMs: 0,
      // The shipped windows scaled down fourfold, so the test waits seconds, not tens of them.
      backoff: { baseMs: 250, maxMs: 4000, startupMaxMs: 1000 },
    });
    await waitFor(async () => hub.tunnels.size === AGENTS, 30_000);
  }, 120_000);
  afterAll(async () => {
    await sims?.stop();
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('every agent reconnects, spread over time by the jitter rather than all at once', async () => {
    await hub.close();
    const down = Date.now();
    sims.ups.length = 0;
    await new Promise((r) => setTimeout(r, 300));
    hub = await buildHub({ config, store: new MemoryAgentStore(), agentListen: agentAddress });
    await hub.listen();
    await waitFor(async () => hub.tunnels.size === AGENTS, 30_000);
    expect(hub.registry.list().filter((a) => a.active)).toHaveLength(AGENTS);
    const ups = [...sims.ups].sort((a, b) => a - b);
    expect(ups).toHaveLength(AGENTS);
    // Full jitter over growing windows: no thundering herd in any tenth of a second.
    const spread = ups.at(-1)! - ups[0]!;
    expect(spread).toBeGreaterThan(300);
    const perBucket = new Map<number, number>();
    for (const t of ups) perBucket.set(Math.floor((t - down) / 100), (perBucket.get(Math.floor((t - down) / 100)) ?? 0) + 1);
    expect(Math.max(...perBucket.values())).toBeLessThan(AGENTS / 3);
  }, 60_000);
});
