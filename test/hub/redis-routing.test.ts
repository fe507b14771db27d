import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeFleetPki } from '../../bench/fleet-pki.js';
import { type SimTunnels, startSimTunnels } from '../../bench/tunnel-sim-core.js';
import type { Measurement } from '../../hub/measurement.js';
import { eventually, type HubProcess, startHubProcess, writeHubConfig } from '../helpers/hub-process.js';
import { activeAgentNames, hubJson, measureTcp } from '../helpers/hub-api.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';
import { startTcpBalancer, type TcpBalancer } from '../helpers/tcp-balancer.js';

/**
 * Three hub processes on one real redis-server, dial-out agents (the exporter's own tunnel client)
 * attached to different replicas: a test started on any replica reaches every agent through the
 * replica holding its tunnel, a running measurement is read and streamed from another replica, and
 * a replica killed with SIGKILL turns its agents' rows offline at once; they then dial the next
 * replica through the load balancer.
 */

const PER_GROUP = 3;
/** How long each group's agents take to answer: group 0 is slow, so a kill lands mid-call. */
const DELAYS = [1500, 50, 600];

let dir: string;
let redis: RedisServer;
let hubs: HubProcess[] = [];
let groups: SimTunnels[] = [];
let balancer: TcpBalancer;
let names: string[][] = [];

const json = hubJson;
const activeNames = activeAgentNames;
const measure = (hub: HubProcess, query = '') => measureTcp(hub, '127.0.0.1:9', 8, query);

const allNames = () => names.flat().sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p14-routing-'));
  const [r, fleet] = await Promise.all([startRedis(), makeFleetPki(join(dir, 'pki'), PER_GROUP * DELAYS.length)]);
  redis = r;
  const pki = { dir, caFile: fleet.caFile, hub: fleet.hub, cleanup: async () => undefined };
  const hubSettings = { store: { kind: 'redis', url: redis.url, key_prefix: 'p14r:' }, agent_inactive_after: '30s', tunnel_keepalive: '2s' };
  const configs = await Promise.all([0, 1, 2].map((i) => writeHubConfig(pki, `r${i}`, hubSettings)));
  hubs = await Promise.all(configs.map((c) => startHubProcess(c)));
  // Group 0 reaches the hubs through a load balancer that prefers replica 0; the others dial their replica.
  balancer = await startTcpBalancer(() => [hubs[0]!.listen.agent, hubs[1]!.listen.agent]);
  const urls = [`https://${balancer.address}`, hubs[1]!.agentUrl, hubs[2]!.agentUrl];
  groups = await Promise.all(
    DELAYS.map((delayMs, g) =>
      startSimTunnels({
        agents: fleet.agents.slice(g * PER_GROUP, (g + 1) * PER_GROUP),
        caFile: fleet.caFile,
        hubAgentUrl: urls[g]!,
        delayMs,
        keepaliveMs: 1000,
        backoff: { baseMs: 200, maxMs: 1000, startupMaxMs: 500 },
      }),
    ),
  );
  names = DELAYS.map((_, g) => fleet.agents.slice(g * PER_GROUP, (g + 1) * PER_GROUP).map((a) => a.name));
  for (const hub of hubs) await eventually(async () => ((await activeNames(hub)).length === allNames().length ? true : undefined), 30_000, 'every replica sees every tunnel');
}, 120_000);

afterAll(async () => {
  await Promise.all(groups.map((g) => g.stop()));
  for (const h of hubs) if (h.proc.exitCode === null) await h.stop('SIGKILL');
  await balancer?.close();
  await redis?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tunnel routing across three replicas on one Redis', () => {
  test('a test started on each replica reaches every dial-out agent, wherever its tunnel ends', async () => {
    for (const [i, hub] of hubs.entries()) {
      const before = groups.map((g) => g.stats.calls);
      const { status, body } = await measure(hub);
      expect(status, `replica ${i}`).toBe(200);
      expect(body.rows.map((r) => [r.agent, r.status])).toEqual(allNames().map((n) => [n, 'ok']));
      // Each agent was called exactly once, through the one replica holding its tunnel.
      expect(groups.map((g, k) => g.stats.calls - before[k]!)).toEqual([PER_GROUP, PER_GROUP, PER_GROUP]);
    }
  });

  test('a relayed scrape reaches an agent tunnelled to another replica, byte for byte', async () => {
    const res = await fetch(`${hubs[2]!.userUrl}/agents/${names[0]![0]}/metrics`);
    // The simulated agent answers 404 to /metrics: its own answer, relayed through replica 0.
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('not here');
  });

  test('a measurement running on replica 1 is read and streamed, row by row, from the others', async () => {
    const { status, body: started } = await json<{ id: string }>(`${hubs[1]!.userUrl}/api/v1/measurements?async=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'tcp', target: '127.0.0.1:9', timeout: 8 }),
    });
    expect(status).toBe(202);
    const t0 = Date.now();
    const stream = fetch(`${hubs[2]!.userUrl}/api/v1/measurements/${started.id}`, { headers: { accept: 'application/x-ndjson' } });
    // The fast group has answered, the slow one (1.5 s) not yet: the other replica shows it running.
    const partial = await eventually(async () => {
      const r = await json<Measurement>(`${hubs[0]!.userUrl}/api/v1/measurements/${started.id}`);
      return r.status === 200 && r.body.rows.length >= PER_GROUP ? r.body : undefined;
    }, 5000, 'rows visible on replica 0');
    expect(partial.status).toBe('running');
    expect(partial.rows.length).toBeLessThan(allNames().length);

    const res = await stream;
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines: Array<{ at: number; value: { agent?: string; done?: boolean; summary?: Record<string, number> } }> = [];
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push({ at: Date.now() - t0, value: JSON.parse(buf.slice(0, i)) });
        buf = buf.slice(i + 1);
      }
    }
    const rows = lines.filter((l) => !l.value.done);
    expect(rows.map((l) => l.value.agent).sort()).toEqual(allNames());
    const done = lines.at(-1)!;
    expect(done.value).toMatchObject({ done: true, id: started.id, summary: { ok: allNames().length } });
    // Streamed as they came: the fast agents' rows well before the slow ones' and the end.
    expect(rows[0]!.at).toBeLessThan(done.at - 700);
    const final = await json<Measurement>(`${hubs[0]!.userUrl}/api/v1/measurements/${started.id}`);
    expect(final.body.status).toBe('done');
    expect(final.body.rows).toHaveLength(allNames().length);
  });

  test('a route request in another format is refused by name, not guessed at', async () => {
    const client = new Redis(redis.url);
    const sub = new Redis(redis.url);
    try {
      const [replica] = await client.zrange('p14r:replicas', '0', '0');
      const reply = new Promise<string>((resolve) => sub.on('message', (_c: string, text: string) => resolve(text)));
      await sub.subscribe('p14r:reply:alien');
      // Format 1, one call per message: a replica not yet upgraded.
      const request = { format: 1, pulse: '0.9.9', id: 1, from: 'alien', agent: names[1]![0], waitMs: 1000, call: { kind: 'run', body: {} } };
      expect(await client.publish(`p14r:route:${replica}`, JSON.stringify(request))).toBe(1);
      const answer = JSON.parse(await reply) as { replies: Array<{ id: number; outcome: { kind: string; message: string } }> };
      expect(answer.replies).toHaveLength(1);
      expect(answer.replies[0]!.id).toBe(1);
      expect(answer.replies[0]!.outcome.kind).toBe('unreachable');
      expect(answer.replies[0]!.outcome.message).toMatch(/route format 1 from Pulse 0\.9\.9; this replica \(Pulse .+\) speaks format 2 only/);
    } finally {
      client.disconnect();
      sub.disconnect();
    }
  });

  test('replica 0 killed mid-test: its agents are offline rows at once, none missing; they then dial replica 1', async () => {
    const started = Date.now();
    const running = measure(hubs[2]!);
    await new Promise((r) => setTimeout(r, 400));
    await hubs[0]!.stop('SIGKILL');
    const { status, body } = await running;
    expect(status).toBe(200);
    expect(body.rows.map((r) => r.agent)).toEqual(allNames());
    const byAgent = new Map(body.rows.map((r) => [r.agent, r]));
    for (const n of names[0]!) {
      expect(byAgent.get(n)?.status).toBe('offline');
      expect(byAgent.get(n)?.reason).toMatch(/replica .+ (stopped answering|not answering)/);
    }
    for (const n of [...names[1]!, ...names[2]!]) expect(byAgent.get(n)?.status).toBe('ok');
    // Well before the 8 s deadline: the dead replica is noticed, not waited for.
    expect(Date.now() - started).toBeLessThan(5000);

    // Through the load balancer the orphaned agents reach replica 1 (backoff with jitter).
    await eventually(async () => ((await activeNames(hubs[2]!)).length === allNames().length ? true : undefined), 20_000, 'group 0 back through replica 1');
    const again = await measure(hubs[2]!);
    expect(again.body.rows.map((r) => [r.agent, r.status])).toEqual(allNames().map((n) => [n, 'ok']));
  }, 40_000);
});
