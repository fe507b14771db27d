import { EmbeddedResultStore } from '../hub/store/embedded.js';
import type { Measurement, Row } from '../hub/measurement.js';
import { round, summarize } from './stats.js';

/** (6) The embedded result store: writing a big measurement, and history over many stored rows. */
export interface StoreResult {
  /** Agents (rows) in the measurement whose write is timed. */
  agents: number;
  /** Milliseconds for putMeasurement (JSON, one framed append, fdatasync) of that measurement. */
  writeMs: { p50: number; p99: number; max: number };
  writes: number;
  /** Rows stored when history is queried. */
  storedRows: number;
  /** Milliseconds per history query (an agent filter: the index is scanned through). */
  queryMs: { p50: number; p99: number; max: number };
  queries: number;
}

export interface StoreBenchOptions {
  agents?: number;
  writes?: number;
  storedRows?: number;
  queries?: number;
}

function measurement(id: string, at: number, agents: number): Measurement {
  const rows: Row[] = Array.from({ length: agents }, (_, i) => ({
    agent: `agent-${String(i).padStart(5, '0')}`,
    labels: { site: `site-${i % 50}`, region: i % 2 ? 'eu' : 'us' },
    target: 'example.org:443',
    status: i % 17 === 0 ? 'failed' : 'ok',
    ...(i % 17 === 0 ? { reason: 'connection refused' } : {}),
    duration_seconds: 0.01 + (i % 100) / 1000,
    // About what a tcp or http row carries back from an agent.
    result: { protocol: 1, success: true, duration_seconds: 0.012, metrics: { probe_success: 1, probe_duration_seconds: 0.012 }, details: { ip: '192.0.2.1' } } as never,
  }));
  return {
    id,
    type: 'tcp',
    target: 'example.org:443',
    options: {},
    agents: {},
    status: 'done',
    created_at: new Date(at).toISOString(),
    finished_at: new Date(at + 100).toISOString(),
    timeout: 10,
    summary: { ok: rows.filter((r) => r.status === 'ok').length, failed: rows.filter((r) => r.status === 'failed').length, timeout: 0, offline: 0 },
    rows,
  };
}

export async function benchStore(dir: string, opts: StoreBenchOptions, log: (line: string) => void): Promise<StoreResult> {
  const agents = opts.agents ?? 1000;
  const writes = opts.writes ?? 20;
  const storedRows = opts.storedRows ?? 100_000;
  const queries = opts.queries ?? 50;
  const store = new EmbeddedResultStore({ dataDir: dir, retentionMs: 7 * 86_400_000 });
  await store.open();
  try {
    const now = Date.now();
    const writeSamples: number[] = [];
    for (let i = 0; i < writes; i++) {
      const m = measurement(`w${i}`, now - 3_600_000 + i, agents);
      const t0 = performance.now();
      await store.putMeasurement(m);
      writeSamples.push(performance.now() - t0);
    }
    // Fill up to storedRows with 1,000-row measurements, a batch at a time (as a busy hub would).
    let rows = writes * agents;
    let n = 0;
    while (rows < storedRows) {
      const batch = Array.from({ length: 10 }, () => measurement(`f${n++}`, now - 7_200_000 + n, Math.min(1000, storedRows - rows)));
      rows += batch.reduce((s, m) => s + m.rows.length, 0);
      await Promise.all(batch.map((m) => store.putMeasurement(m)));
    }
    const querySamples: number[] = [];
    for (let i = 0; i < queries; i++) {
      const t0 = performance.now();
      const page = await store.history({ agent: `agent-${String(i % agents).padStart(5, '0')}`, limit: 100 });
      querySamples.push(performance.now() - t0);
      if (page.rows.length === 0) throw new Error('history query found nothing');
    }
    const w = summarize(writeSamples);
    const q = summarize(querySamples);
    const result: StoreResult = {
      agents,
      writeMs: { p50: round(w.p50), p99: round(w.p99), max: round(w.max) },
      writes,
      storedRows: rows,
      queryMs: { p50: round(q.p50), p99: round(q.p99), max: round(q.max) },
      queries,
    };
    log(`  write of a ${agents}-row measurement: p50 ${result.writeMs.p50} ms, p99 ${result.writeMs.p99} ms; history over ${rows} rows: p50 ${result.queryMs.p50} ms, p99 ${result.queryMs.p99} ms`);
    return result;
  } finally {
    await store.close();
  }
}

/** BENCH_STORE_AGENTS, BENCH_STORE_WRITES, BENCH_STORE_ROWS, BENCH_STORE_QUERIES; small counts for a quick look. */
export function storeBenchOptions(env: NodeJS.ProcessEnv): StoreBenchOptions {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1 || v > 10_000_000) throw new Error(`${name}=${raw}: expected a whole number from 1 to 10000000`);
    return v;
  };
  const o: StoreBenchOptions = {};
  const agents = num('BENCH_STORE_AGENTS');
  const writes = num('BENCH_STORE_WRITES');
  const storedRows = num('BENCH_STORE_ROWS');
  const queries = num('BENCH_STORE_QUERIES');
  if (agents) o.agents = agents;
  if (writes) o.writes = writes;
  if (storedRows) o.storedRows = storedRows;
  if (queries) o.queries = queries;
  return o;
}
