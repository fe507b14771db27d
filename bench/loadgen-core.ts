import { Pool } from 'undici';
import { sampleValue } from './exposition.js';

/** One closed-loop load run: `concurrency` requests always in flight until time or count runs out. */
export interface LoadOptions {
  /** e.g. http://127.0.0.1:9115 (loopback only: the harness never aims anywhere else). */
  origin: string;
  path: string;
  /** Paths to take in turn instead of `path` alone (many addresses for one route). */
  paths?: string[];
  concurrency: number;
  seconds: number;
  /** Hard cap on requests, so a very fast server cannot make the run unbounded in memory. */
  maxRequests: number;
  /** Run this long first and throw the results away (JIT warm-up, connection set-up). */
  warmupSeconds?: number;
  headers?: Record<string, string>;
  /** Count a 200 as a success only if this exposition sample is 1 (e.g. probe_success). */
  successSample?: string;
  /** Collect this sample's value from every successful answer (timing fidelity). */
  extract?: { name: string; labels: Record<string, string> };
  /** Per-request timeout in milliseconds. */
  requestTimeoutMs?: number;
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  /** A few distinct failure reasons with counts, to tell a broken setup from an overloaded one. */
  failures: Record<string, number>;
  elapsedSeconds: number;
  /** Latency of every successful request, in milliseconds. */
  latenciesMs: number[];
  values: number[];
}

const MAX_FAILURE_KINDS = 8;

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const timeout = opts.requestTimeoutMs ?? 30_000;
  const pool = new Pool(opts.origin, {
    connections: opts.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  try {
    if (opts.warmupSeconds && opts.warmupSeconds > 0) {
      await loop(pool, opts, opts.warmupSeconds, Math.min(opts.maxRequests, 1_000_000));
    }
    return await loop(pool, opts, opts.seconds, opts.maxRequests);
  } finally {
    await pool.close();
  }
}

async function loop(pool: Pool, opts: LoadOptions, seconds: number, maxRequests: number): Promise<LoadResult> {
  const result: LoadResult = { requests: 0, ok: 0, failed: 0, failures: {}, elapsedSeconds: 0, latenciesMs: [], values: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let issued = 0;
  const fail = (why: string) => {
    result.failed++;
    const kinds = Object.keys(result.failures);
    const key = why in result.failures || kinds.length < MAX_FAILURE_KINDS ? why : 'other';
    result.failures[key] = (result.failures[key] ?? 0) + 1;
  };
  const worker = async () => {
    while (issued < maxRequests && performance.now() < deadline) {
      const path = opts.paths?.length ? opts.paths[issued % opts.paths.length]! : opts.path;
      issued++;
      const t0 = performance.now();
      try {
        const res = await pool.request({ path, method: 'GET', headers: opts.headers ?? {} });
        const body = await res.body.text();
        const ms = performance.now() - t0;
        result.requests++;
        if (res.statusCode !== 200) {
          fail(`HTTP ${res.statusCode}: ${body.slice(0, 120).trim()}`);
          continue;
        }
        if (opts.successSample && sampleValue(body, opts.successSample) !== 1) {
          fail(`${opts.successSample} is not 1`);
          continue;
        }
        result.ok++;
        result.latenciesMs.push(ms);
        if (opts.extract) {
          const v = sampleValue(body, opts.extract.name, opts.extract.labels);
          if (v !== undefined) result.values.push(v);
        }
      } catch (err) {
        result.requests++;
        fail((err as Error).message.slice(0, 120));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  result.elapsedSeconds = (performance.now() - started) / 1000;
  return result;
}
