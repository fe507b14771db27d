import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import { createLogger, line } from '../../exporter/http/logger.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';

/** The exporter's own HTTP layer (node:http, no framework): what Fastify used to answer for it. */
describe('exporter HTTP layer', () => {
  let exporter: Exporter;
  let base: string;

  beforeAll(async () => {
    exporter = await buildExporter({ config: parseConfig('modules:\n  tcp_connect:\n    prober: tcp\n', 'pulse.yml') });
    const url = await exporter.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(exporter.app.server.address() as AddressInfo).port}`;
    expect(url).toBe(base);
  });

  afterAll(() => exporter.app.close());

  it('answers HEAD for GET routes, without a body', async () => {
    const res = await fetch(`${base}/-/healthy`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('8');
    expect(await res.text()).toBe('');
  });

  it('keeps idle connections for 72 s, as Fastify did (the hub reads Keep-Alive: timeout=)', async () => {
    const res = await fetch(`${base}/-/healthy`);
    expect(res.headers.get('keep-alive')).toBe('timeout=72');
  });

  it('answers an unknown route 404 with a PULSE_ code', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ error: { code: 'PULSE_NOT_FOUND', message: 'no route for GET /nope' } });
    expect((await fetch(`${base}/probe`, { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    ['not JSON', 'application/json', '{nope', 400, 'PULSE_BAD_REQUEST'],
    ['an empty JSON body', 'application/json', '', 400, 'PULSE_BAD_REQUEST'],
    ['a form', 'application/x-www-form-urlencoded', 'a=1', 415, 'PULSE_UNSUPPORTED_MEDIA_TYPE'],
    ['text', 'text/plain', 'hello', 400, 'PULSE_BAD_REQUEST'],
    ['a body off the schema', 'application/json', '{"protocol":1,"type":"tcp","target":""}', 400, 'PULSE_BAD_REQUEST'],
    ['an unknown key', 'application/json', '{"protocol":1,"type":"tcp","target":"a:1","x":1}', 400, 'PULSE_BAD_REQUEST'],
  ])('refuses %s on /api/v1/run with %i', async (_name, type, body, status, code) => {
    const res = await fetch(`${base}/api/v1/run`, { method: 'POST', headers: { 'content-type': type }, body });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(0);
  });

  it('refuses a body over 256 KiB with 413 and keeps serving', async () => {
    const big = JSON.stringify({ protocol: 1, type: 'tcp', target: 'a:1', options: { pad: 'x'.repeat(300 * 1024) } });
    const res = await fetch(`${base}/api/v1/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PULSE_PAYLOAD_TOO_LARGE');
    // Streamed without a length: the limit holds while reading, too.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/v1/run`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 30; i++) req.write('x'.repeat(10 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
  });

  it('serves the same routes through handle() and inject()', async () => {
    const res = await exporter.app.inject({ url: '/probe?module=tcp_connect&target=127.0.0.1:1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('probe_success 0');
    const run = await exporter.app.inject({ method: 'POST', url: '/api/v1/run', payload: { protocol: 1, type: 'tcp', target: '127.0.0.1:1' } });
    expect(run.statusCode).toBe(403);
    expect(run.json()).toMatchObject({ error: { code: 'PULSE_FORBIDDEN' } });
    expect(typeof exporter.handle).toBe('function');
  });

  it('closes even with a keep-alive connection open', async () => {
    const ex = await buildExporter({ config: parseConfig('modules: {}\n', 'pulse.yml') });
    await ex.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (ex.app.server.address() as AddressInfo).port;
    expect((await fetch(`http://127.0.0.1:${port}/-/healthy`)).status).toBe(200);
    const started = Date.now();
    await ex.app.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ex.app.server.listening).toBe(false);
  });
});

describe('exporter logger', () => {
  it('writes pino-shaped JSON lines at or above its level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (l) => lines.push(l) });
    log.debug('hidden');
    log.info('Server listening at http://127.0.0.1:1');
    log.child({ agent: 'a1' }).warn({ status: 503 }, 'hub refused');
    log.error(new Error('boom'));
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toMatchObject({ level: 30, msg: 'Server listening at http://127.0.0.1:1', pid: process.pid });
    expect(typeof parsed[0]!.time).toBe('number');
    expect(parsed[1]).toMatchObject({ level: 40, agent: 'a1', status: 503, msg: 'hub refused' });
    expect(parsed[2]).toMatchObject({ level: 50, msg: 'boom', err: { type: 'Error', message: 'boom' } });
  });

  it('is silent when logging is off', () => {
    const log = createLogger(false);
    expect(() => log.error('nothing')).not.toThrow();
    expect(JSON.parse(line(30, {}, { err: new TypeError('t') }, []))).toMatchObject({ err: { type: 'TypeError' } });
  });
});
