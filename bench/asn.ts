/**
 * (6) ASN lookups: the offline table's load time and memory, raw lookups per second on one core,
 * and GET /asnlookup/ip latency over real HTTP on loopback with only offline sources.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Fastify from 'fastify';
import { AsnDb } from '../hub/asn/asndb.js';
import { MemoryAsnDbStore } from '../hub/asn/asndb-store.js';
import { numberToIpv4, parseIp } from '../hub/asn/ip.js';
import { LazyOfflineIndex, loadOfflineIndex, offlinePackageDir } from '../hub/asn/offline.js';
import { OfflineSource } from '../hub/asn/offline-source.js';
import { asnRoutes } from '../hub/asn/routes.js';
import { AsnService } from '../hub/asn/service.js';
import { installErrorHandlers } from '../hub/routes/errors.js';
import { runLoadInChild } from './proc.js';
import type { BenchRun, TargetCheck } from './results.js';
import { round, summarize } from './stats.js';

export interface AsnBenchResult {
  ranges: number;
  loadSeconds: number;
  /** Heap and RSS growth from loading the table (after a GC), and the typed arrays alone. */
  heapMB: number;
  rssMB: number;
  arraysMB: number;
  lookups: number;
  lookupsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p99: number; max: number };
}

export const ASN_LIMITS = { lookupsPerSecond: 1_000_000, p99Ms: 5 } as const;

function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Pseudo-random addresses (fixed seed, so runs compare), as numbers and as text. */
function addresses(n: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x >>> 0;
  }
  return out;
}

export async function benchAsn(opts: { lookups: number; requests: number }, log: (line: string) => void): Promise<AsnBenchResult | string> {
  const dir = offlinePackageDir();
  if (!dir) return 'the optional dependency @ip-location-db/asn is not installed';
  const gc = gcFunction();
  gc();
  const before = process.memoryUsage();
  const loaded = await loadOfflineIndex(dir);
  gc();
  const after = process.memoryUsage();
  const { index } = loaded;
  const ranges = index.size.v4 + index.size.v6;
  log(`  loaded ${ranges} ranges in ${round(loaded.seconds, 2)} s; heap +${round((after.heapUsed - before.heapUsed) / 1e6, 1)} MB, RSS +${round((after.rss - before.rss) / 1e6, 1)} MB`);

  const ips = addresses(opts.lookups);
  let found = 0;
  for (let i = 0; i < 100_000; i++) if (index.lookupV4(ips[i % ips.length]!) !== undefined) found++;
  const started = performance.now();
  for (let i = 0; i < ips.length; i++) if (index.lookupV4(ips[i]!) !== undefined) found++;
  const lookupsPerSecond = ips.length / ((performance.now() - started) / 1000);
  log(`  ${ips.length} IPv4 lookups: ${Math.round(lookupsPerSecond).toLocaleString('en')} per second (${found} found)`);

  // The route as the hub serves it, its offline source already holding this table.
  const table = new LazyOfflineIndex(dir);
  const service = new AsnService([new OfflineSource(table)], new AsnDb(new MemoryAsnDbStore()));
  await table.get();
  const app = Fastify({ logger: false });
  installErrorHandlers(app);
  asnRoutes(app, { asn: service });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  let samples: number[];
  try {
    // The client in a process of its own, as a user's is: its allocations and GC are not the hub's.
    const texts = Array.from(addresses(opts.requests), (n) => numberToIpv4(n)).filter((t) => parseIp(t));
    const load = await runLoadInChild({
      origin: `http://127.0.0.1:${port}`,
      path: `/asnlookup/ip/${texts[0]}`,
      paths: texts.map((ip) => `/asnlookup/ip/${ip}`),
      concurrency: 1,
      seconds: 60,
      warmupSeconds: 0.5,
      maxRequests: texts.length,
    });
    if (load.failed > 0) throw new Error(`/asnlookup/ip failed ${load.failed} times: ${JSON.stringify(load.failures)}`);
    samples = load.latenciesMs;
  } finally {
    await app.close();
  }
  const s = summarize(samples);
  log(`  ${samples.length} GET /asnlookup/ip: p50 ${round(s.p50, 2)} ms, p99 ${round(s.p99, 2)} ms, max ${round(s.max, 2)} ms`);
  return {
    ranges,
    loadSeconds: round(loaded.seconds, 3),
    heapMB: round((after.heapUsed - before.heapUsed) / 1e6, 1),
    rssMB: round((after.rss - before.rss) / 1e6, 1),
    arraysMB: round(index.arrayBytes / 1e6, 1),
    lookups: ips.length,
    lookupsPerSecond: Math.round(lookupsPerSecond),
    requests: samples.length,
    latencyMs: { p50: round(s.p50, 3), p99: round(s.p99, 3), max: round(s.max, 3) },
  };
}

export function asnTargets(run: Pick<BenchRun, 'asn'>): TargetCheck[] {
  const a = run.asn;
  const none = 'ASN benchmark not run';
  return [
    {
      id: '6:asn-lookups',
      description: `offline ASN lookups ≥ ${ASN_LIMITS.lookupsPerSecond.toLocaleString('en')}/s on one core`,
      pass: a ? a.lookupsPerSecond >= ASN_LIMITS.lookupsPerSecond : null,
      detail: a ? `${a.lookupsPerSecond.toLocaleString('en')}/s (table: ${a.ranges} ranges, loaded in ${a.loadSeconds} s, heap +${a.heapMB} MB)` : none,
    },
    {
      id: '6:asnlookup-p99',
      description: `GET /asnlookup/ip p99 ≤ ${ASN_LIMITS.p99Ms} ms (offline sources)`,
      pass: a ? a.latencyMs.p99 <= ASN_LIMITS.p99Ms : null,
      detail: a ? `p99 ${a.latencyMs.p99} ms over ${a.requests} requests` : none,
    },
  ];
}

export function asnReportLines(a: AsnBenchResult): string[] {
  return [
    `(6) ASN: ${a.ranges} ranges loaded in ${a.loadSeconds} s; heap +${a.heapMB} MB, RSS +${a.rssMB} MB (typed arrays ${a.arraysMB} MB)`,
    `${a.lookups} lookups at ${a.lookupsPerSecond.toLocaleString('en')}/s; ${a.requests} GET /asnlookup/ip: p50 ${a.latencyMs.p50} ms, p99 ${a.latencyMs.p99} ms, max ${a.latencyMs.max} ms`,
  ];
}
