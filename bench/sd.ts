import { join } from 'node:path';
import { request } from 'undici';
import { FileAgentStore } from '../hub/store/file.js';
import type { AgentRecord } from '../hub/store/types.js';
import { PROTOCOL_VERSION } from '../lib/wire.js';
import { agentName, makeFleetPki } from './fleet-pki.js';
import { startHub } from './hub-service.js';
import { MB, readMemoryOf } from './memory.js';
import { runLoadInChild, type Service } from './proc.js';
import type { SdResult } from './results.js';
import type { BenchSettings } from './settings.js';
import { round, summarize } from './stats.js';

const REGISTRATION =
  'agents written through the hub’s own agent store (hub/store/file.ts) before the hub starts; 10,000 mTLS registrations would measure TLS handshakes, not /sd';

/** Benchmark (5): GET /sd with many active agents and several probe jobs. */
export async function benchSd(dir: string, s: BenchSettings, log: (line: string) => void): Promise<SdResult> {
  // The hub needs a CA and certificate to start; no agent connects in this benchmark.
  const pki = await makeFleetPki(join(dir, 'pki'), 0);
  const dataDir = join(dir, 'hub-data');
  await seedAgents(dataDir, s.sdAgents);
  const jobs = Array.from({ length: s.sdJobs }, (_, i) =>
    i % 2 === 0
      ? { name: `bench_http_${i}`, module: 'http_2xx', targets: [`http://127.0.0.1:${8000 + i}/health`] }
      : { name: `bench_tcp_${i}`, module: 'tcp_connect', targets: [`127.0.0.1:${8000 + i}`] },
  );
  let hub: Service | undefined;
  try {
    hub = await startHub(dir, { pki, dataDir, jobs });
    const res = await request(`${hub.url}/sd`);
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`/sd answered HTTP ${res.statusCode}: ${body.slice(0, 300)}`);
    const groups = (JSON.parse(body) as unknown[]).length;
    const expected = s.sdAgents * jobs.reduce((n, j) => n + j.targets.length, 0);
    if (groups !== expected) throw new Error(`/sd has ${groups} target groups, expected ${expected}: are the seeded agents active?`);
    const load = await runLoadInChild({
      origin: hub.url,
      path: '/sd',
      concurrency: 1,
      seconds: Math.max(s.seconds, 30),
      warmupSeconds: Math.min(s.warmupSeconds, 1),
      maxRequests: s.sdRequests,
      requestTimeoutMs: 60_000,
    });
    if (load.failed > 0) throw new Error(`/sd failed ${load.failed} times: ${JSON.stringify(load.failures)}`);
    const lat = summarize(load.latenciesMs);
    const hubMem = (await readMemoryOf(await hub.pids())).hwm;
    const result: SdResult = {
      agents: s.sdAgents,
      jobs: jobs.length,
      groups,
      responseBytes: Buffer.byteLength(body),
      latencyMs: { p50: round(lat.p50, 1), p99: round(lat.p99, 1), max: round(lat.max, 1) },
      requests: lat.count,
      hubMB: round(hubMem / MB, 1),
      registration: REGISTRATION,
    };
    log(
      `  ${groups} target groups, ${(result.responseBytes / 1024 / 1024).toFixed(2)} MiB; ${lat.count} requests: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms; hub VmHWM ${result.hubMB} MB`,
    );
    return result;
  } finally {
    await hub?.stop();
  }
}

/** Agent `i` of a seeded fleet, as if it had registered at `now` (a direct agent). */
export function seededAgent(i: number, now: string): AgentRecord {
  return {
    name: agentName(i),
    labels: { region: `region-${i % 20}`, site: `site-${i % 500}` },
    url: `https://127.0.0.1:${10_000 + (i % 50_000)}`,
    version: 'bench',
    protocol: PROTOCOL_VERSION,
    probers: ['http', 'tcp', 'dns', 'icmp'],
    ip_versions: [4],
    first_seen: now,
    last_seen: now,
    refused: null,
  };
}

/** Writes N active agents into the hub's file store, as if each had registered just now. */
async function seedAgents(dataDir: string, n: number): Promise<void> {
  const store = new FileAgentStore(dataDir);
  const now = new Date().toISOString();
  const writes: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const rec = seededAgent(i, now);
    writes.push(store.put(rec));
  }
  await Promise.all(writes);
  await store.close();
}
