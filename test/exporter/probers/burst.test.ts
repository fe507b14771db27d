import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adHocModule } from '../../../lib/config/adhoc.js';
import type { PulseError } from '../../../lib/errors.js';
import { type CountingServer, countingServer, runWith, unacceptingListener } from '../../helpers/burst.js';
import { refusedPort, startProxy, startServer, type TestProxy, type TestServer } from '../../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

interface Attempt {
  n: number;
  local_port?: number;
  connect?: number;
  tls?: number;
  first_byte?: number;
  status?: number;
  outcome: string;
}
const burst = (target: string, section: Record<string, unknown>, timeout = '10s', exporter: Record<string, unknown> = {}) =>
  runWith('burst', { preferred_ip_protocol: 'ip4', ...section }, target, timeout, exporter);
const attemptsOf = (out: { details: Record<string, unknown> }) => out.details.attempts as Attempt[];

let pki: TestPki;
let plain: CountingServer;
let silent: CountingServer;
let https: TestServer;
let proxy: TestProxy;

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue('localhost');
  plain = await countingServer();
  // Accepts and never answers: a request waits until the deadline.
  silent = await countingServer((s) => s.resume());
  https = await startServer((_req, res) => res.end('ok'), { tls: { cert: cert.cert, key: cert.key } });
  proxy = await startProxy('school', 'secret');
});

afterAll(async () => {
  await Promise.all([plain.close(), silent.close(), https.close(), proxy.close()]);
  await pki.cleanup();
});

describe('burst prober', () => {
  it('opens every connection, times each one and summarises them as quantiles', async () => {
    const out = await burst(`127.0.0.1:${plain.port}`, { connections: 60, concurrency: 15 });
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_burst_attempts')).toBe(60);
    expect(out.metrics.get('probe_burst_failures', { kind: 'refused' })).toBe(0);
    expect(out.metrics.get('probe_burst_stalled_handshakes')).toBe(0);
    const p50 = out.metrics.get('probe_burst_connect_seconds', { quantile: '0.5' })!;
    const max = out.metrics.get('probe_burst_connect_seconds', { quantile: '1' })!;
    expect(p50).toBeGreaterThan(0);
    expect(max).toBeGreaterThanOrEqual(p50);
    const attempts = attemptsOf(out);
    expect(attempts).toHaveLength(60);
    expect(new Set(attempts.map((a) => a.local_port)).size).toBe(60);
    expect(attempts.every((a) => a.outcome === 'ok' && a.connect! > 0)).toBe(true);
    const summary = out.details.summary as { histogram: { count: number }[] };
    expect(summary.histogram.reduce((s, b) => s + b.count, 0)).toBe(60);
    expect(out.metrics.get('probe_burst_event_loop_delay_max_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts refused connections by kind and fails the probe with a reason', async () => {
    const port = await refusedPort();
    const out = await burst(`127.0.0.1:${port}`, { connections: 12, concurrency: 4 });
    expect(out.success).toBe(false);
    expect(out.reason).toBe('12 of 12 connections failed (12 refused)');
    expect(out.metrics.get('probe_burst_failures', { kind: 'refused' })).toBe(12);
    expect(out.metrics.get('probe_burst_failures', { kind: 'timeout' })).toBe(0);
  });

  it('reports the handshakes a full accept queue stalls (a listener with a tiny backlog)', async () => {
    const listener = await unacceptingListener(1);
    try {
      const out = await burst(`127.0.0.1:${listener.port}`, { connections: 10, concurrency: 10, attempt_timeout: '1500ms' });
      const attempts = attemptsOf(out);
      const quick = attempts.filter((a) => a.outcome === 'ok' && a.connect! < 1);
      // Linux queues backlog + 1 completed handshakes; every other SYN is dropped until it times out.
      expect(quick.length).toBeGreaterThanOrEqual(1);
      expect(quick.length).toBeLessThanOrEqual(3);
      expect(out.metrics.get('probe_burst_stalled_handshakes')).toBe(10 - quick.length);
      expect(out.metrics.get('probe_burst_failures', { kind: 'timeout' })).toBe(10 - quick.length);
      expect(out.success).toBe(false);
    } finally {
      listener.stop();
    }
  });

  it('counts connections the server resets before answering as reset', async () => {
    const rude = await countingServer((s) => s.resetAndDestroy());
    try {
      const out = await burst(`127.0.0.1:${rude.port}`, { connections: 6, concurrency: 3, request: {} });
      expect(out.metrics.get('probe_burst_failures', { kind: 'reset' })).toBe(6);
      // An RST that is already queued when the handshake is reported fails the connect itself: still a reset.
      expect(attemptsOf(out).every((a) => a.outcome === 'reset')).toBe(true);
    } finally {
      await rude.close();
    }
  });

  it('does TLS and one HTTP request per connection, timing the handshake and the first byte', async () => {
    const out = await burst(`localhost:${https.port}`, {
      connections: 8,
      concurrency: 4,
      tls: true,
      tls_config: { ca_file: pki.caFile },
      request: { method: 'GET', path: '/burst' },
    });
    expect(out.reason).toBeUndefined();
    expect(attemptsOf(out).every((a) => a.status === 200 && a.tls! > 0 && a.first_byte! > 0)).toBe(true);
    expect(out.metrics.get('probe_burst_tls_seconds', { quantile: '0.99' })).toBeGreaterThan(0);
    expect(out.metrics.get('probe_burst_first_byte_seconds', { quantile: '0.5' })).toBeGreaterThan(0);
    expect(https.requests.filter((r) => r.url === '/burst')).toHaveLength(8);
  });

  it('counts a certificate the target cannot prove as a tls failure', async () => {
    const out = await burst(`localhost:${https.port}`, { connections: 3, concurrency: 3, tls: true });
    expect(out.metrics.get('probe_burst_failures', { kind: 'tls' })).toBe(3);
  });

  it('goes through a CONNECT proxy with credentials, and names the proxy refusing them', async () => {
    const before = proxy.log.length;
    const ok = await burst(`127.0.0.1:${plain.port}`, { connections: 6, concurrency: 3, proxy_url: `http://school:secret@127.0.0.1:${proxy.port}` });
    expect(ok.reason).toBeUndefined();
    expect(proxy.log.slice(before).filter((l) => l.method === 'CONNECT' && l.authorized)).toHaveLength(6);
    const bad = await burst(`127.0.0.1:${plain.port}`, { connections: 4, concurrency: 2, proxy_url: `http://school:wrong@127.0.0.1:${proxy.port}` });
    expect(bad.metrics.get('probe_burst_failures', { kind: 'proxy' })).toBe(4);
    expect(bad.reason).toBe('4 of 4 connections failed (4 proxy)');
  });

  it('opens the connections from the configured source port range, in turn', async () => {
    const first = 40000 + Math.floor(Math.random() * 20000);
    const out = await burst(`127.0.0.1:${plain.port}`, { connections: 4, concurrency: 1, source_ports: { first, last: first + 3 } });
    expect(attemptsOf(out).map((a) => a.local_port)).toEqual([first, first + 1, first + 2, first + 3]);
  });

  it('paces the connections at the given rate', async () => {
    const out = await burst(`127.0.0.1:${plain.port}`, { connections: 5, concurrency: 5, rate: 20 });
    const starts = (out.details.attempts as { start: number }[]).map((a) => a.start);
    expect(starts[4]!).toBeGreaterThanOrEqual(0.19);
  });

  it('closes every socket when the probe times out in the middle of the burst', async () => {
    const out = await burst(`127.0.0.1:${silent.port}`, { connections: 50, concurrency: 20, request: {} }, '1s');
    expect(out.success).toBe(false);
    expect(silent.accepted()).toBe(20);
    await expect.poll(() => silent.open(), { timeout: 2000 }).toBe(0);
    expect(out.metrics.get('probe_burst_failures', { kind: 'timeout' })).toBe(20);
  });
});

describe('burst bounds', () => {
  it("refuses a burst above the agent's limits, naming the limit", async () => {
    const out = await burst(`127.0.0.1:${plain.port}`, { connections: 1001 });
    expect(out.success).toBe(false);
    expect(out.reason).toBe("connections 1001 is above this agent's limit of 1000 (exporter.burst.max_connections)");
    expect(out.metrics.get('probe_burst_attempts')).toBe(0);
    const lower = await burst(`127.0.0.1:${plain.port}`, { concurrency: 20 }, '10s', { burst: { max_concurrency: 10 } });
    expect(lower.reason).toBe("concurrency 20 is above this agent's limit of 10 (exporter.burst.max_concurrency)");
    const rate = await burst(`127.0.0.1:${plain.port}`, { rate: 50 }, '10s', { burst: { max_rate: 10 } });
    expect(rate.reason).toBe("rate 50/s is above this agent's limit of 10/s (exporter.burst.max_rate)");
  });

  it('refuses an ad-hoc request above the hard maxima before it reaches an agent', () => {
    const refused = (o: Record<string, unknown>) => {
      try {
        adHocModule('burst', o);
      } catch (err) {
        return (err as PulseError).code === 'PULSE_BAD_OPTIONS' ? (err as Error).message : `wrong error ${String(err)}`;
      }
      return 'accepted';
    };
    expect(refused({ connections: 10_001 })).toMatch(/^options\.connections: /);
    expect(refused({ concurrency: 0 })).toMatch(/^options\.concurrency: /);
    expect(refused({ rate: 1e6 })).toMatch(/^options\.rate: /);
    expect(refused({ source_ports: { first: 9, last: 8 } })).toBe('options: source_ports: first must not be above last');
    expect(refused({ connections: 10 })).toBe('accepted');
  });
});
