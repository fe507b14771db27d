/**
 * Benchmark (6): dial-out agents. (a) one measurement across N simulated dial-out agents whose
 * tunnels are already open; (b) many idle tunnels on one hub: its memory and CPU per second of
 * keepalives and heartbeats; (c) /probe through the hub's relay against a direct scrape of the
 * same real exporter, at two concurrencies. Loopback only.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Agent, Pool, request } from 'undici';
import { type FleetPki, makeFleetPki } from './fleet-pki.js';
import { startHub } from './hub-service.js';
import { MB, readMemoryOf, sampleMemory } from './memory.js';
import { answers, freePort, repoRoot, type Service, sleep } from './proc.js';
import type { BenchSettings } from './settings.js';
import { round } from './stats.js';
import { startSimTunnels } from './tunnel-sim-core.js';

export interface TunnelsResult {
  fanout: {
    agents: number;
    agentDelayMs: number;
    beyondSlowestMs: number[];
    hubPeakMB: number;
    /** CPU milliseconds per round of the hub, and of the simulated agents (this process): wall times on a loaded machine mean little without them. */
    hubCpuMs: number[];
    simCpuMs: number[];
  };
  idle: { tunnels: number; hubRssMB: number; cpuCoresBusy: number; seconds: number };
  /**
   * CPU microseconds per successful probe: of the exporter, of this process (the load generator)
   * and, for the relay side, of the hub (its own process). Unlike probes/s they hardly depend on
   * what else the machine runs, so they show whether the relay's own cost changed.
   */
  relay: Array<{
    concurrency: number;
    directPerSecond: number;
    relayPerSecond: number;
    ratio: number;
    cpuUsPerProbe: { direct: { exporter: number; bench: number }; relay: { exporter: number; bench: number; hub: number } };
  }>;
}

const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);

export async function benchTunnels(dir: string, s: BenchSettings, log: (line: string) => void): Promise<TunnelsResult> {
  const idleCount = env('BENCH_IDLE_TUNNELS', 10_000);
  const total = Math.max(s.agents, idleCount);
  const t = Date.now();
  const pki = await makeFleetPki(join(dir, 'pki'), total);
  log(`  ${total} agent certificates issued in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const fanout = await fanoutPart(dir, pki, s, log);
  const idle = await idlePart(dir, pki, idleCount, log);
  const relay = await relayPart(dir, pki, s, log);
  const result = { fanout, idle, relay };
  for (const line of verdicts(result)) log(`  ${line}`);
  return result;
}

/** PASS/FAIL against the targets, and the figures that have none. */
export function verdicts(r: TunnelsResult): string[] {
  const worst = Math.max(...r.fanout.beyondSlowestMs);
  const pf = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  return [
    `${pf(worst <= 250)} fan-out to ${r.fanout.agents} dial-out agents: worst round ${worst} ms beyond the slowest agent (target ≤ 250 ms, first round included)`,
    `INFO fan-out CPU per round: hub ${r.fanout.hubCpuMs.join(', ')} ms; simulated agents ${r.fanout.simCpuMs.join(', ')} ms (the wall time above is this plus waiting for the CPU on a shared machine)`,
    `${pf(r.fanout.hubPeakMB <= 300)} hub RSS with ${r.fanout.agents} tunnels: ${r.fanout.hubPeakMB} MB (target ≤ 300 MB)`,
    `INFO ${r.idle.tunnels} idle tunnels: hub RSS ${r.idle.hubRssMB} MB, CPU ${r.idle.cpuCoresBusy} of a core over ${r.idle.seconds} s`,
    ...r.relay.map((p) => `${pf(p.ratio >= 0.7)} relay vs direct /probe at ${p.concurrency}: ${p.relayPerSecond} vs ${p.directPerSecond} probes/s, ratio ${p.ratio} (target ≥ 0.7)`),
  ];
}

async function waitTunnels(hub: Service, n: number, ms: number, dispatcher?: Agent): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const res = await request(`${hub.url}/agents/`, dispatcher ? { dispatcher } : {});
    const { agents } = (await res.body.json()) as { agents: Array<{ active: boolean }> };
    const up = agents.filter((a) => a.active).length;
    if (up >= n) return;
    if (Date.now() > until) throw new Error(`only ${up} of ${n} tunnels up within ${ms} ms`);
    await sleep(250);
  }
}

async function fanoutPart(dir: string, pki: FleetPki, s: BenchSettings, log: (line: string) => void): Promise<TunnelsResult['fanout']> {
  await mkdir(join(dir, 'fanout'), { recursive: true });
  const hub = await startHub(join(dir, 'fanout'), { pki, dataDir: join(dir, 'fanout', 'data') });
  const sims = await startSimTunnels({ agents: pki.agents.slice(0, s.agents), caFile: pki.caFile, hubAgentUrl: hub.agentUrl, delayMs: s.agentDelayMs });
  try {
    const t = Date.now();
    await waitTunnels(hub, s.agents, 120_000);
    log(`  ${s.agents} tunnels up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const sampler = sampleMemory(() => hub.pids());
    const beyond: number[] = [];
    const hubCpuMs: number[] = [];
    const simCpuMs: number[] = [];
    const pids = await hub.pids();
    for (let i = 0; i < Number(process.env.BENCH_FANOUT_ROUNDS ?? 3); i++) {
      const hubCpu = await cpuSeconds(pids);
      const simCpu = process.cpuUsage();
      Object.assign(sims.stats, { firstCallAt: 0, lastCallAt: 0, lastAnswerAt: 0 });
      const started = Date.now();
      const res = await request(`${hub.url}/api/v1/measurements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ type: 'tcp', target: '127.0.0.1:9', timeout: 30 }),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      const m = (await res.body.json()) as { summary: Record<string, number> };
      const ms = Date.now() - started;
      const sim = process.cpuUsage(simCpu);
      hubCpuMs.push(Math.round(((await cpuSeconds(pids)) - hubCpu) * 1000));
      simCpuMs.push(Math.round((sim.user + sim.system) / 1000));
      beyond.push(ms - s.agentDelayMs);
      const st = sims.stats;
      const at = (t: number | undefined) => (t ? t - started : '-');
      log(
        `  round ${i + 1}: ${ms} ms, ${ms - s.agentDelayMs} ms beyond the ${s.agentDelayMs} ms agents; calls reached the agents ${at(st.firstCallAt)}-${at(st.lastCallAt)} ms, last answer sent ${at(st.lastAnswerAt)} ms; CPU hub ${hubCpuMs[i]} ms, simulated agents ${simCpuMs[i]} ms; ${JSON.stringify(m.summary)}`,
      );
    }
    const peak = await sampler.stop();
    return { agents: s.agents, agentDelayMs: s.agentDelayMs, beyondSlowestMs: beyond, hubPeakMB: round(peak.rss / MB, 1), hubCpuMs, simCpuMs };
  } finally {
    await sims.stop();
    await hub.stop();
  }
}

/** CPU seconds (user + system) of these processes so far, from /proc/PID/stat (100 ticks a second). */
export async function cpuSeconds(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

async function idlePart(dir: string, pki: FleetPki, n: number, log: (line: string) => void): Promise<TunnelsResult['idle']> {
  const sub = join(dir, 'idle');
  await mkdir(sub, { recursive: true });
  const hub = await startHub(sub, { pki, dataDir: join(sub, 'data') });
  const sims = await startSimTunnels({ agents: pki.agents.slice(0, n), caFile: pki.caFile, hubAgentUrl: hub.agentUrl, delayMs: 0 });
  try {
    const t = Date.now();
    await waitTunnels(hub, n, 600_000);
    log(`  ${n} idle tunnels up in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await sleep(2000);
    const seconds = env('BENCH_IDLE_SECONDS', 30);
    const pids = await hub.pids();
    const before = await cpuSeconds(pids);
    await sleep(seconds * 1000);
    const used = (await cpuSeconds(pids)) - before;
    const rss = (await readMemoryOf(pids)).rss;
    return { tunnels: n, hubRssMB: round(rss / MB, 1), cpuCoresBusy: round(used / seconds, 4), seconds };
  } finally {
    await sims.stop();
    await hub.stop();
  }
}

async function relayPart(dir: string, pki: FleetPki, s: BenchSettings, log: (line: string) => void): Promise<TunnelsResult['relay']> {
  const sub = join(dir, 'relay');
  await mkdir(sub, { recursive: true });
  const client = pki.client;
  if (!client) throw new Error('the relay needs a client certificate in the fleet PKI');
  const agent = pki.agents[0]!;
  const tls = { ca: await readFile(pki.caFile), cert: await readFile(client.certFile), key: await readFile(client.keyFile) };
  const users = new Agent({ connect: { ...tls, rejectUnauthorized: true } });
  // The hub in a process of its own, as it runs for users: in this process it shared one thread
  // with the load generator, and the relay's figure measured that thread.
  const hub = await startHub(sub, { pki, dataDir: join(sub, 'data'), userTls: true }, (url) => answers(`${url}/-/healthy`, users));
  const target: Server = createServer((c) => c.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const targetPort = (target.address() as { port: number }).port;
  const port = await freePort();
  const configFile = join(sub, 'exporter.yml');
  const cfg = {
    modules: { tcp_connect: { prober: 'tcp', timeout: '5s' } },
    exporter: {
      listen: `127.0.0.1:${port}`,
      tls: { cert_file: agent.certFile, key_file: agent.keyFile, client_ca_file: pki.caFile },
      hub: { url: hub.agentUrl, ca_file: pki.caFile, cert_file: agent.certFile, key_file: agent.keyFile, mode: 'dial-out' },
    },
  };
  await writeFile(configFile, JSON.stringify(cfg));
  // Ready when its tunnel is up (its listener serves HTTPS, which startService cannot poll).
  const exporter = spawn(process.execPath, [...nodeArgs('BENCH_EXPORTER_NODE_ARGS'), join(repoRoot(), 'dist', 'exporter', 'main.js'), '--config', configFile], { stdio: 'ignore' });
  const out: TunnelsResult['relay'] = [];
  try {
    await waitTunnels(hub, 1, 30_000, users);
    const query = `?module=tcp_connect&target=127.0.0.1:${targetPort}`;
    for (const c of [8, 64]) {
      const [direct, relay] = await loadInterleaved(
        [
          { origin: `https://127.0.0.1:${port}`, path: `/probe${query}` },
          { origin: hub.url, path: `/agents/${agent.name}/probe${query}` },
        ],
        c,
        s.seconds,
        tls,
        exporter.pid === undefined ? [] : [exporter.pid],
        await hub.pids(),
      );
      const point = {
        concurrency: c,
        directPerSecond: round(direct!.perSecond, 1),
        relayPerSecond: round(relay!.perSecond, 1),
        ratio: round(relay!.perSecond / direct!.perSecond, 3),
        cpuUsPerProbe: {
          direct: { exporter: direct!.exporterUs, bench: direct!.benchUs },
          relay: { exporter: relay!.exporterUs, bench: relay!.benchUs, hub: relay!.hubUs },
        },
      };
      log(
        `  concurrency ${c}: direct ${point.directPerSecond}/s, relay ${point.relayPerSecond}/s, ratio ${point.ratio}; CPU µs per probe: direct exporter ${direct!.exporterUs} + client ${direct!.benchUs}, relay exporter ${relay!.exporterUs} + client ${relay!.benchUs} + hub ${relay!.hubUs}; TLS connections opened: direct ${direct!.connections}, relay ${relay!.connections}`,
      );
      out.push(point);
    }
  } finally {
    exporter.kill('SIGTERM');
    await hub.stop();
    await users.close();
    await new Promise((r) => target.close(r));
  }
  return out;
}

/** A half-second slice: short enough that the other developers' load on a shared machine falls on both sides alike. */
const SLICE_MS = 500;

/**
 * Successful probes per second for each of `sides` with `concurrency` requests always in flight,
 * `seconds` each, measured in alternating slices rather than one after the other: a ratio taken
 * from two runs seconds apart on a shared machine mostly measured who else was busy meanwhile.
 */
async function loadInterleaved(
  sides: Array<{ origin: string; path: string }>,
  concurrency: number,
  seconds: number,
  tls: { ca: Buffer; cert: Buffer; key: Buffer },
  exporterPids: number[],
  hubPids: number[],
): Promise<Array<{ connections: number; perSecond: number; exporterUs: number; benchUs: number; hubUs: number }>> {
  const loaders = sides.map((side) => loader(side.origin, side.path, concurrency, tls));
  try {
    // Warm-up: connections and JIT on both sides.
    for (const l of loaders) await l.slice(0);
    const slices = Math.max(2, Math.round((seconds * 1000) / SLICE_MS));
    const sums = sides.map(() => ({ ok: 0, ms: 0, exporterS: 0, benchUs: 0, hubS: 0 }));
    for (let i = 0; i < slices; i++) {
      for (const [k, l] of loaders.entries()) {
        const exporterBefore = await cpuSeconds(exporterPids);
        const hubBefore = await cpuSeconds(hubPids);
        const benchBefore = process.cpuUsage();
        const r = await l.slice(SLICE_MS);
        const bench = process.cpuUsage(benchBefore);
        const sum = sums[k]!;
        sum.exporterS += (await cpuSeconds(exporterPids)) - exporterBefore;
        sum.hubS += (await cpuSeconds(hubPids)) - hubBefore;
        sum.benchUs += bench.user + bench.system;
        sum.ok += r.ok;
        sum.ms += r.ms;
      }
    }
    return sums.map((t, k) => ({
      connections: loaders[k]!.connects(),
      perSecond: t.ok / (t.ms / 1000),
      exporterUs: Math.round((t.exporterS * 1e6) / Math.max(1, t.ok)),
      benchUs: Math.round(t.benchUs / Math.max(1, t.ok)),
      hubUs: Math.round((t.hubS * 1e6) / Math.max(1, t.ok)),
    }));
  } finally {
    await Promise.all(loaders.map((l) => l.close()));
  }
}

/** One side's pool; slice(ms) keeps `concurrency` requests in flight for ms (0: one round) and counts the successes. */
function loader(origin: string, path: string, concurrency: number, tls: { ca: Buffer; cert: Buffer; key: Buffer }) {
  const pool = new Pool(origin, { connections: concurrency, connect: { ...tls, rejectUnauthorized: true } });
  let connects = 0;
  pool.on('connect', () => connects++);
  const one = async (): Promise<number> => {
    const res = await pool.request({ path, method: 'GET', headers: { 'x-prometheus-scrape-timeout-seconds': '5' } });
    const text = await res.body.text();
    return res.statusCode === 200 && /^probe_success 1$/m.test(text) ? 1 : 0;
  };
  return {
    async slice(ms: number): Promise<{ ok: number; ms: number }> {
      let ok = 0;
      const started = performance.now();
      const end = started + ms;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          do {
            // Not `ok += await one()`: that reads ok before the await and loses the other workers' counts.
            const n = await one();
            ok += n;
          } while (performance.now() < end);
        }),
      );
      return { ok, ms: performance.now() - started };
    },
    /** TLS connections opened so far: more than `concurrency` means keep-alive failed and handshakes are being measured. */
    connects: () => connects,
    close: () => pool.close(),
  };
}

/** Extra node flags for a spawned process from an environment variable (e.g. `--cpu-prof`), for profiling it. */
function nodeArgs(name: string): string[] {
  return (process.env[name] ?? '').split(/\s+/).filter(Boolean);
}
