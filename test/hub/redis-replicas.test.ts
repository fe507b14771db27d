import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Measurement } from '../../hub/measurement.js';
import type { HistoryPage } from '../../hub/store/results.js';
import { eventually, type HubProcess, makeProcessPki, type ProcessAgent, type ProcessPki, startAgent, startHubProcess, writeHubConfig } from '../helpers/hub-process.js';
import { activeAgentNames, hubJson, measureTcp } from '../helpers/hub-api.js';
import { type RedisServer, startRedis } from '../helpers/redis-server.js';

/**
 * Three hub processes sharing one real redis-server, an agent registered with each: the registry,
 * /sd, measurements and history are the same from every replica; a replica killed with SIGKILL
 * takes nothing with it that another needs; Redis going away is a 503 with the reason, and the
 * replicas recover on their own when it is back.
 */

let redis: RedisServer;
let pki: ProcessPki;
let hubs: HubProcess[] = [];
let agents: ProcessAgent[] = [];
let target: Server;
let addr: string;
const NAMES = ['ams', 'fra', 'nyc'];

const json = hubJson;
const activeNames = activeAgentNames;
const measure = (hub: HubProcess, query = '') => measureTcp(hub, addr, 5, query);

beforeAll(async () => {
  [redis, pki] = await Promise.all([startRedis(), makeProcessPki()]);
  target = createServer((s) => s.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  addr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  const top = { modules: { tcp_connect: { prober: 'tcp' } }, targets: [{ name: 'edge', module: 'tcp_connect', targets: [addr, '127.0.0.1:9'] }] };
  const configs = await Promise.all(
    [0, 1, 2].map((i) => writeHubConfig(pki, `r${i}`, { store: { kind: 'redis', url: redis.url, key_prefix: 'p14:' }, agent_inactive_after: '20s' }, top)),
  );
  hubs = await Promise.all(configs.map((c) => startHubProcess(c)));
  // One agent per replica, as a load balancer would spread them.
  agents = await Promise.all(NAMES.map((n, i) => startAgent(pki, n, hubs[i]!.agentUrl, { site: n })));
  for (const hub of hubs) await eventually(async () => ((await activeNames(hub)).length === 3 ? true : undefined), 30_000, 'every replica sees all agents');
}, 120_000);

afterAll(async () => {
  for (const a of agents) await a.close();
  for (const h of hubs) if (h.proc.exitCode === null) await h.stop('SIGKILL');
  await redis?.remove();
  await new Promise((r) => target?.close(r));
  await pki?.cleanup();
});

describe('three hub replicas on one Redis', () => {
  test('each replica lists every agent as active, whichever replica it registered with', async () => {
    for (const hub of hubs) expect((await activeNames(hub)).sort()).toEqual(NAMES);
  });

  test('/sd answers the same from every replica', async () => {
    const answers = await Promise.all(hubs.map(async (h) => (await fetch(`${h.userUrl}/sd`)).text()));
    const groups = JSON.parse(answers[0]!) as Array<{ labels: Record<string, string> }>;
    expect(groups).toHaveLength(6);
    expect(new Set(groups.map((g) => g.labels.agent))).toEqual(new Set(NAMES));
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
  });

  test('a measurement started on one replica reaches every agent and is read, in full, from the others', async () => {
    const { status, body: m } = await measure(hubs[0]!);
    expect(status).toBe(200);
    expect(m.rows.map((r) => [r.agent, r.status])).toEqual(NAMES.map((n) => [n, 'ok']));
    for (const hub of hubs.slice(1)) {
      const other = await json<Measurement>(`${hub.userUrl}/api/v1/measurements/${m.id}`);
      expect(other.status).toBe(200);
      expect(other.body).toEqual(m);
      const hist = await json<HistoryPage>(`${hub.userUrl}/api/v1/measurements?agent=nyc&limit=5`);
      expect(hist.body.rows[0]).toMatchObject({ measurement: m.id, agent: 'nyc', status: 'ok' });
    }
  });

  test('a record written by another store format is refused by name', async () => {
    const client = new Redis(redis.url);
    try {
      await client.set('p14:m:alien', JSON.stringify({ format: 2, pulse: '9.9.9', kind: 'measurement', data: {} }));
      const { status, body } = await json<{ error: { code: string; message: string } }>(`${hubs[1]!.userUrl}/api/v1/measurements/alien`);
      expect(status).toBe(409);
      expect(body.error.code).toBe('PULSE_PROTOCOL_MISMATCH');
      expect(body.error.message).toMatch(/record format 2 written by Pulse 9\.9\.9; this hub \(Pulse .+\) reads format 1 only/);
    } finally {
      client.disconnect();
    }
  });

  test('a replica killed with SIGKILL mid-measurement: the others keep its results and finish their own', async () => {
    const { body: before } = await measure(hubs[0]!);
    const running = measure(hubs[1]!);
    await hubs[0]!.stop('SIGKILL');
    const { status, body } = await running;
    expect(status).toBe(200);
    // Every agent has a row: answered, or offline/timeout; none is missing.
    expect(body.rows.map((r) => r.agent)).toEqual(NAMES);
    for (const hub of hubs.slice(1)) expect((await json<Measurement>(`${hub.userUrl}/api/v1/measurements/${before.id}`)).body).toEqual(before);
  });

  test('Redis away: history answers 503 with the reason, health still 200; back: the replicas recover on their own', async () => {
    const hub = hubs[2]!;
    const { body: kept } = await measure(hub);
    await redis.stop();
    const down = await json<{ error: { code: string; message: string } }>(`${hub.userUrl}/api/v1/measurements?limit=1`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('PULSE_STORE_UNAVAILABLE');
    expect(down.body.error.message).toContain(`redis://127.0.0.1:${redis.port}`);
    expect((await fetch(`${hub.userUrl}/-/healthy`)).status).toBe(200);
    // Tests still run on the agents this replica knows; only keeping the result fails (logged).
    const during = await measure(hub);
    expect(during.status).toBe(200);
    expect(during.body.rows).toHaveLength(3);

    await redis.start();
    const back = await eventually(async () => {
      const r = await json<HistoryPage>(`${hub.userUrl}/api/v1/measurements?limit=50`);
      return r.status === 200 ? r.body : undefined;
    }, 20_000, 'history back after Redis returned');
    expect(back.rows.some((r) => r.measurement === kept.id)).toBe(true);
    // Each replica reconnects on its own schedule (backoff with jitter).
    await eventually(async () => ((await json<Measurement>(`${hubs[1]!.userUrl}/api/v1/measurements/${kept.id}`)).status === 200 ? true : undefined), 20_000, 'the other replica back');
    // Heartbeats write the registry again: the other replica still sees every live agent.
    await eventually(async () => ((await activeNames(hubs[1]!)).includes('nyc') ? true : undefined), 20_000, 'registry after Redis returned');
  });
});
