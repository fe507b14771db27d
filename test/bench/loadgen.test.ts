import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/loadgen-core.js';

/** A tiny exporter stand-in: answers exposition text, or an error, and counts what it served. */
let server: Server;
let origin: string;
let served = 0;
let maxInFlight = 0;
let inFlight = 0;
/** Answers are held until this many requests are in flight together (a barrier), then all released. */
let hold = 1;
let held: Array<() => void> = [];
let fallback: NodeJS.Timeout | undefined;

function release(): void {
  clearTimeout(fallback);
  fallback = undefined;
  const now = held;
  held = [];
  for (const answer of now) answer();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    served++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const url = new URL(req.url ?? '/', 'http://x');
    held.push(() => {
      inFlight--;
      if (url.searchParams.get('fail') === '1') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom\n');
        return;
      }
      const success = url.searchParams.get('success') ?? '1';
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`probe_http_duration_seconds{phase="processing"} 0.0505\nprobe_success ${success}\n`);
    });
    if (held.length >= hold) release();
    // Only a generator that never reaches `hold` in flight would wait for this.
    else fallback ??= setTimeout(release, 5_000);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('closed-loop load generator', () => {
  it('stops at the request cap, keeps N requests in flight and accounts for every answer', async () => {
    served = 0;
    maxInFlight = 0;
    hold = 4;
    const r = await runLoad({ origin, path: '/probe', concurrency: 4, seconds: 60, maxRequests: 200, successSample: 'probe_success' });
    hold = 1;
    expect(r.requests).toBe(200);
    expect(served).toBe(200);
    expect(r.ok).toBe(200);
    expect(r.failed).toBe(0);
    expect(r.latenciesMs).toHaveLength(200);
    expect(r.latenciesMs.every((v) => v > 0)).toBe(true);
    expect(maxInFlight).toBe(4);
  });

  it('extracts the requested sample from every successful answer', async () => {
    const r = await runLoad({
      origin,
      path: '/probe',
      concurrency: 2,
      seconds: 60,
      maxRequests: 10,
      extract: { name: 'probe_http_duration_seconds', labels: { phase: 'processing' } },
    });
    expect(r.values).toEqual(Array(10).fill(0.0505));
  });

  it('counts HTTP errors and failed probes as failures, by reason', async () => {
    const errs = await runLoad({ origin, path: '/probe?fail=1', concurrency: 2, seconds: 60, maxRequests: 6 });
    expect(errs).toMatchObject({ requests: 6, ok: 0, failed: 6, failures: { 'HTTP 500: boom': 6 } });
    const zero = await runLoad({ origin, path: '/probe?success=0', concurrency: 2, seconds: 60, maxRequests: 6, successSample: 'probe_success' });
    expect(zero).toMatchObject({ ok: 0, failed: 6, failures: { 'probe_success is not 1': 6 } });
    expect(zero.latenciesMs).toHaveLength(0);
  });

  it('discards the warm-up run', async () => {
    served = 0;
    const r = await runLoad({ origin, path: '/probe', concurrency: 1, seconds: 60, warmupSeconds: 60, maxRequests: 5 });
    // The warm-up is bounded by the same cap, then the measured run does its own 5.
    expect(served).toBe(10);
    expect(r.requests).toBe(5);
  });

  it('records connection failures instead of throwing', async () => {
    const dead = createServer();
    dead.listen(0, '127.0.0.1');
    await once(dead, 'listening');
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r));
    const r = await runLoad({ origin: `http://127.0.0.1:${port}`, path: '/', concurrency: 1, seconds: 60, maxRequests: 3 });
    expect(r.ok).toBe(0);
    expect(r.failed).toBe(3);
    expect(Object.keys(r.failures).join()).toMatch(/ECONNREFUSED|connect/);
  });
});
