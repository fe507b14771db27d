/**
 * Benchmark (10): several hub replicas on one Redis. (a) N simulated dial-out agents spread over
 * three replicas, one test started on one replica: how long beyond the slowest agent, every round
 * (two thirds of the calls travel through Redis to the replica holding the tunnel); (b) /sd at
 * many agents × 3 jobs from each replica. Loopback only.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { RedisAgentStore } from '../hub/store/redis/agents.js';
import type { AgentRecord } from '../hub/store/types.js';
import type { SimStats } from './agent-sim-core.js';
import { type FleetPki, makeFleetPki } from './fleet-pki.js';
import { startHub } from './hub-service.js';
import { seededAgent } from './sd.js';
import { runLoadInChild, type Service, sleep } from './proc.js';
import { startBenchRedis } from './redis.js';
import { round, summarize } from './stats.js';
import { startSimTunnels } from './tunnel-sim-core.js';
import { cpuSeconds } from './tunnels.js';

const REPLICAS = 3;
/** The targets. */
const BEYOND_SLOWEST_MS = 300;
const SD_P99_MS = 200;

export interface ReplicasResult {
  fanout: { replicas: number; agents: number; agentDelayMs: number; roundsMs: number[]; beyondSlowestMs: number[]; summaries: Array<Record<string, number>> };
  sd: { replicas: number; agents: number; jobs: number; groups: number; requestsPerReplica: number; p50Ms: number[]; p99Ms: number[] };
}

export interface ReplicasOptions {
  agents: number;
  agentDelayMs: number;
  rounds: number;
  sdAgents: number;
  sdRequests: number;
}

export function replicasOptions(env: NodeJS.ProcessEnv): ReplicasOptions {
  const n = (name: string, def: number) => (env[name] ? Number(env[name]) : def);
  return {
    agents: n('BENCH_REPLICA_AGENTS', 3000),
    agentDelayMs: n('BENCH_AGENT_DELAY_MS', 200),
    rounds: n('BENCH_FANOUT_ROUNDS', 3),
    sdAgents: n('BENCH_SD_AGENTS', 10_000),
    sdRequests: n('BENCH_SD_REQUESTS', 100),
  };
}

export async function benchReplicas(dir: string, o: ReplicasOptions, log: (line: string) => void): Promise<ReplicasResult> {
  const redis = await startBenchRedis(join(dir, 'redis'));
  try {
    const t = Date.now();
    const pki = await makeFleetPki(join(dir, 'pki'), o.agents);
    log(`  ${o.agents} agent certificates issued in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const fanout = await fanoutPart(dir, pki, redis.url, o, log);
    const sd = await sdPart(dir, pki, redis.url, o, log);
    const result = { fanout, sd };
    for (const line of replicaVerdicts(result)) log(`  ${line}`);
    return result;
  } finally {
    await redis.stop();
  }
}

/** PASS/FAIL against the targets. */
export function replicaVerdicts(r: ReplicasResult): string[] {
  const pf = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const worst = Math.max(...r.fanout.beyondSlowestMs);
  const complete = r.fanout.summaries.every((s) => s.ok === r.fanout.agents);
  const sdWorst = Math.max(...r.sd.p99Ms);
  return [
    `${pf(worst <= BEYOND_SLOWEST_MS && complete)} fan-out to ${r.fanout.agents} dial-out agents over ${r.fanout.replicas} replicas, started on one: worst round ${worst} ms beyond the slowest agent (target ≤ ${BEYOND_SLOWEST_MS} ms every round; rounds ${r.fanout.beyondSlowestMs.join(', ')} ms; every row ok: ${complete})`,
    `${pf(sdWorst <= SD_P99_MS)} /sd at ${r.sd.agents} agents × ${r.sd.jobs} jobs from each of ${r.sd.replicas} replicas: p99 ${r.sd.p99Ms.join(' / ')} ms (target ≤ ${SD_P99_MS} ms from any replica)`,
  ];
}

async function startReplicas(dir: string, pki: FleetPki, url: string, prefix: string, jobs?: Array<{ name: string; module: string; targets: string[] }>): Promise<Array<Service & { agentUrl: string }>> {
  const hubs: Array<Service & { agentUrl: string }> = [];
  for (let i = 0; i < REPLICAS; i++) {
    const sub = join(dir, `replica-${i}`);
    await mkdir(sub, { recursive: true });
    hubs.push(await startHub(sub, { pki, dataDir: join(sub, 'data'), redis: { url, prefix }, ...(jobs ? { jobs } : {}) }));
  }
  return hubs;
}

async function activeCount(hub: Service): Promise<number> {
  const res = await request(`${hub.url}/agents/`);
  const { agents } = (await res.body.json()) as { agents: Array<{ active: boolean }> };
  return agents.filter((a) => a.active).length;
}

async function fanoutPart(dir: string, pki: FleetPki, url: string, o: ReplicasOptions, log: (line: string) => void): Promise<ReplicasResult['fanout']> {
  const hubs = await startReplicas(join(dir, 'fanout'), pki, url, 'bench-fanout:');
  // BENCH_REPLICA_ONE_HOLDER=1: every tunnel on replica 0 (no routing), a baseline on the same machine.
  const spread = process.env.BENCH_REPLICA_ONE_HOLDER === '1' ? 1 : REPLICAS;
  const per = Math.ceil(o.agents / spread);
  const sims = await Promise.all(
    hubs.slice(0, spread).map((hub, i) =>
      startSimTunnels({ agents: pki.agents.slice(i * per, Math.min(o.agents, (i + 1) * per)), caFile: pki.caFile, hubAgentUrl: hub.agentUrl, delayMs: o.agentDelayMs }),
    ),
  );
  try {
    const t = Date.now();
    for (const hub of hubs) {
      for (;;) {
        const up = await activeCount(hub);
        if (up >= o.agents) break;
        if (Date.now() - t > 300_000) throw new Error(`only ${up} of ${o.agents} agents active on a replica within 300 s`);
        await sleep(500);
      }
    }
    log(`  ${o.agents} tunnels up over ${REPLICAS} replicas (${per} each), seen active by every replica in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const roundsMs: number[] = [];
    const beyond: number[] = [];
    const summaries: Array<Record<string, number>> = [];
    for (let i = 0; i < o.rounds; i++) {
      for (const s of sims) Object.assign(s.stats, { firstCallAt: 0, lastCallAt: 0, lastAnswerAt: 0 });
      const hubCpu = await Promise.all(hubs.map((h) => cpuSeconds([h.pid])));
      const simCpu = process.cpuUsage();
      const started = Date.now();
      const res = await request(`${hubs[0]!.url}/api/v1/measurements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ type: 'tcp', target: '127.0.0.1:9', timeout: 30 }),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      const m = (await res.body.json()) as { summary: Record<string, number> };
      const ms = Date.now() - started;
      const sim = process.cpuUsage(simCpu);
      const hubMs = await Promise.all(hubs.map(async (h, k) => Math.round(((await cpuSeconds([h.pid])) - hubCpu[k]!) * 1000)));
      roundsMs.push(ms);
      beyond.push(ms - o.agentDelayMs);
      summaries.push(m.summary);
      log(`  round ${i + 1}: ${ms} ms, ${ms - o.agentDelayMs} ms beyond the ${o.agentDelayMs} ms agents; ${JSON.stringify(m.summary)}`);
      log(`    ${phases(sims.map((s) => s.stats), started, started + ms)}`);
      log(`    CPU: replicas ${hubMs.join(' / ')} ms, simulated agents and client ${Math.round((sim.user + sim.system) / 1000)} ms`);
    }
    return { replicas: REPLICAS, agents: o.agents, agentDelayMs: o.agentDelayMs, roundsMs, beyondSlowestMs: beyond, summaries };
  } finally {
    await Promise.all(sims.map((s) => s.stop()));
    for (const hub of hubs) await hub.stop();
  }
}

/**
 * Where a round's time went, per replica's agents (ms after the POST): first and last call
 * received, last answer sent; then how long the answer took after the last agent answered.
 */
function phases(stats: SimStats[], started: number, finished: number): string {
  const at = (t: number | undefined) => (t ? t - started : Number.NaN);
  const groups = stats.map((s, i) => `replica ${i}: calls ${at(s.firstCallAt)}-${at(s.lastCallAt)}, last answer ${at(s.lastAnswerAt)}`);
  const last = Math.max(...stats.map((s) => s.lastAnswerAt));
  return `${groups.join('; ')}; answer ${finished - last} ms after the last agent's`;
}

/** Writes N active direct agents into the shared registry, as if each had registered just now. */
async function seedRedis(url: string, prefix: string, n: number): Promise<void> {
  const client = new Redis(url);
  const store = new RedisAgentStore(client, prefix, url, () => undefined);
  const now = new Date().toISOString();
  for (let i = 0; i < n; i += 500) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const rec: AgentRecord = { ...seededAgent(j, now), mode: 'direct' };
      batch.push(store.put(rec));
    }
    await Promise.all(batch);
  }
  client.disconnect();
}

async function sdPart(dir: string, pki: FleetPki, url: string, o: ReplicasOptions, log: (line: string) => void): Promise<ReplicasResult['sd']> {
  const prefix = 'bench-sd:';
  await seedRedis(url, prefix, o.sdAgents);
  const jobs = [
    { name: 'bench_http', module: 'http_2xx', targets: ['http://127.0.0.1:8000/health'] },
    { name: 'bench_tcp', module: 'tcp_connect', targets: ['127.0.0.1:8001'] },
    { name: 'bench_health', module: 'http_2xx', targets: ['http://127.0.0.1:8002/ready'] },
  ];
  const hubs = await startReplicas(join(dir, 'sd'), pki, url, prefix, jobs);
  try {
    const p50Ms: number[] = [];
    const p99Ms: number[] = [];
    let groups = 0;
    for (const [i, hub] of hubs.entries()) {
      const res = await request(`${hub.url}/sd`);
      groups = ((await res.body.json()) as unknown[]).length;
      if (groups !== o.sdAgents * jobs.length) throw new Error(`replica ${i}: /sd has ${groups} target groups, expected ${o.sdAgents * jobs.length}`);
      const load = await runLoadInChild({ origin: hub.url, path: '/sd', concurrency: 1, seconds: 30, warmupSeconds: 1, maxRequests: o.sdRequests, requestTimeoutMs: 60_000 });
      if (load.failed > 0) throw new Error(`/sd failed ${load.failed} times on replica ${i}: ${JSON.stringify(load.failures)}`);
      const lat = summarize(load.latenciesMs);
      p50Ms.push(round(lat.p50, 1));
      p99Ms.push(round(lat.p99, 1));
      log(`  replica ${i}: ${groups} target groups; ${lat.count} requests: p50 ${round(lat.p50, 1)} ms, p99 ${round(lat.p99, 1)} ms`);
    }
    return { replicas: REPLICAS, agents: o.sdAgents, jobs: jobs.length, groups, requestsPerReplica: o.sdRequests, p50Ms, p99Ms };
  } finally {
    for (const hub of hubs) await hub.stop();
  }
}
