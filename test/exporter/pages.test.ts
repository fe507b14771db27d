import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeHistory } from '../../exporter/probe-history.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { resolveConfig } from '../../lib/config/load.js';

/** blackbox's /logs (by id, and 0.25+'s ?target=) and /config, through the exporter's routes. */
let listener: Server;
let port: number;
let exporter: Exporter;

beforeAll(async () => {
  listener = createServer((s) => s.end());
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
  exporter = await buildExporter({
    config: resolveConfig({
      modules: {
        port: { prober: 'tcp', timeout: '2s' },
        web: { prober: 'http', timeout: '2s', http: { basic_auth: { username: 'u', password: 'hunter2' } } },
      },
      exporter: { history_limit: 2 },
    }),
  });
});

afterAll(async () => {
  await exporter.app.close();
  await new Promise((r) => listener.close(r));
});

const get = (url: string) => exporter.app.inject({ method: 'GET', url });

describe('/logs', () => {
  it("answers a probe's debug output by target (and module), and by id", async () => {
    await get(`/probe?module=port&target=127.0.0.1:${port}`);
    const byTarget = await get(`/logs?target=127.0.0.1:${port}`);
    expect(byTarget.statusCode).toBe(200);
    expect(byTarget.body).toContain('Logs for the probe:');
    expect(byTarget.body).toContain('probe_success 1');
    expect((await get(`/logs?target=127.0.0.1:${port}&module=port`)).statusCode).toBe(200);
    expect((await get(`/logs?target=127.0.0.1:${port}&module=web`)).statusCode).toBe(404);
    expect((await get('/logs?id=0')).body).toContain('Module configuration:\nprober: tcp');
  });

  it('refuses what blackbox refuses, in its words', async () => {
    const cases: [string, number, string][] = [
      ['/logs', 400, 'Probe id or target must be defined as http query parameters\n'],
      ['/logs?id=0&target=x', 400, "Probe id and target can't be defined at the same time\n"],
      ['/logs?id=0&module=port', 400, 'Probe module filter only works in conjunction with target parameter\n'],
      ['/logs?id=999', 404, 'Probe id not found\n'],
      ['/logs?target=nowhere:1', 404, 'Probe target not found\n'],
    ];
    for (const [url, status, body] of cases) {
      const res = await get(url);
      expect({ url, status: res.statusCode, body: res.body }).toEqual({ url, status, body });
    }
  });

  it('keeps the last `limit` probes, and pushed-out failures apart (blackbox history rules)', () => {
    const h = new ProbeHistory(2);
    h.add('m', 'fail-1', false, () => 'f1');
    h.add('m', 'ok-1', true, () => 'o1');
    h.add('m', 'ok-2', true, () => 'o2');
    h.add('m', 'ok-3', true, () => 'o3');
    expect(h.all().map((e) => e.target)).toEqual(['fail-1', 'ok-2', 'ok-3']);
    expect(h.byId(1)).toBeUndefined();
    expect(h.byTarget('fail-1', '')?.debugOutput()).toBe('f1');
    const none = new ProbeHistory(0);
    none.add('m', 't', true, () => '');
    expect(none.all()).toEqual([]);
  });
});

describe('/config', () => {
  it('shows the loaded modules as YAML, without secrets', async () => {
    const res = await get('/config');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^modules:\n {2}port:\n {4}prober: tcp/);
    expect(res.body).toContain('password: <secret>');
    expect(res.body).not.toContain('hunter2');
  });
});
