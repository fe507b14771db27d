import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober } from '../../lib/probe/types.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure, post, readNdjson } from './client.js';

/** Stands in for the dns prober (written in parallel): echoes what it was asked to resolve, and where. */
const echoDns: Prober<'dns'> = {
  validateTarget: () => undefined,
  async run(ctx) {
    return {
      success: true,
      metrics: new MetricSet(),
      details: { resolver: ctx.target, query_name: ctx.options.query_name, query_type: ctx.options.query_type },
    };
  },
};

/** Stands in for mtr (slow for real: several cycles): echoes the IP version it was given. */
const echoMtr: Prober<'mtr'> = {
  validateTarget: () => undefined,
  async run(ctx) {
    return { success: true, metrics: new MetricSet(), details: { target: ctx.target, ip_version: ctx.options.ip_version ?? null } };
  },
};

describe('the original Pulse endpoints', () => {
  let fleet: Fleet;
  let server: Server;
  let port: number;
  const seen: Array<{ host: string | undefined; url: string | undefined; method: string | undefined }> = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ host: req.headers.host, url: req.url, method: req.method });
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.alloc(64 * 1024, 1));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    fleet = await startFleet({ agents: ['m1', 'm2', 'm3'], probers: { ...defaultProbers(), dns: echoDns, mtr: echoMtr } });
  });
  afterAll(async () => {
    await fleet?.close();
    server?.close();
  });

  test('POST /dns/ runs one dns probe per resolver on every agent', async () => {
    const m = await measure(fleet.hubUrl, { Host: 'www.pulse.test', QType: 28, Targets: ['127.0.0.1', '127.0.0.1:5353'] }, '/dns/');
    expect(m.type).toBe('dns');
    expect(m.target).toBe('www.pulse.test');
    expect(m.options).toEqual({ query_name: 'www.pulse.test', query_type: 28 });
    expect(m.rows.map((r) => `${r.agent} ${r.target} ${r.status}`)).toEqual([
      'm1 127.0.0.1 ok',
      'm1 127.0.0.1:5353 ok',
      'm2 127.0.0.1 ok',
      'm2 127.0.0.1:5353 ok',
      'm3 127.0.0.1 ok',
      'm3 127.0.0.1:5353 ok',
    ]);
    expect(m.rows[1]!.result?.details).toEqual({ resolver: '127.0.0.1:5353', query_name: 'www.pulse.test', query_type: 28 });
  });

  test('POST /dns/ streams as NDJSON too', async () => {
    const res = await post(fleet.hubUrl, '/dns/', { Host: 'www.pulse.test', QType: 1, Targets: ['127.0.0.1'] }, { accept: 'application/x-ndjson' });
    const lines = await readNdjson(res, () => undefined);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({ done: true, summary: { ok: 3 } });
  });

  test('POST /curl/ connects to Endpoint, sends Host, reads headers only (real http prober)', async () => {
    seen.length = 0;
    const m = await measure(fleet.hubUrl, { Path: '/img/logo.jpg', Endpoint: `127.0.0.1:${port}`, Host: 'cdn.pulse.test', Ssl: false }, '/curl/');
    expect(m.type).toBe('http');
    expect(m.target).toBe('http://cdn.pulse.test/img/logo.jpg');
    expect(m.summary).toEqual({ ok: 3, failed: 0, timeout: 0, offline: 0 });
    expect(seen).toHaveLength(3);
    for (const s of seen) expect(s).toEqual({ host: 'cdn.pulse.test', url: '/img/logo.jpg', method: 'GET' });
    expect(m.rows[0]!.result?.metrics.probe_http_status_code).toBe(200);
  });

  test('/api/v1/measurements with the real http prober', async () => {
    const m = await measure(fleet.hubUrl, { type: 'http', target: `http://127.0.0.1:${port}/x`, options: { valid_status_codes: [200] } });
    expect(m.summary.ok).toBe(3);
    const fail = await measure(fleet.hubUrl, { type: 'http', target: `http://127.0.0.1:${port}/x`, options: { valid_status_codes: [204] } });
    expect(fail.summary.failed).toBe(3);
    expect(fail.rows[0]!.reason).toBeTruthy();
  });

  test('POST /mtr/ asks agents for mtr with the IP version', async () => {
    const m = await measure(fleet.hubUrl, { Target: '127.0.0.1', IPv: '4' }, '/mtr/');
    expect(m.type).toBe('mtr');
    expect(m.options).toEqual({ ip_version: 4 });
    expect(m.rows.map((r) => [r.agent, r.target, r.status])).toEqual([
      ['m1', '127.0.0.1', 'ok'],
      ['m2', '127.0.0.1', 'ok'],
      ['m3', '127.0.0.1', 'ok'],
    ]);
    expect(m.rows[0]!.result?.details).toEqual({ target: '127.0.0.1', ip_version: 4 });
    const any = await measure(fleet.hubUrl, { Target: '127.0.0.1' }, '/mtr/');
    expect(any.options).toEqual({});
    expect(any.rows[0]!.result?.details).toEqual({ target: '127.0.0.1', ip_version: null });
  });
});
