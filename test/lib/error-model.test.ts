import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { parseConfig, resolveConfig } from '../../lib/config/load.js';
import { ERROR_STATUS } from '../../lib/errors.js';
import { scriptedRegistry } from '../hub/scripted-prober.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';

/**
 * The one error model (lib/error-response.ts): the hub (Fastify) and the exporter (node:http)
 * answer the same bad requests with the same status and PULSE_* code, in the same shape.
 */
interface Case {
  name: string;
  method: string;
  /** The path on the hub, then on the exporter: each program's own route for the same case. */
  paths: [string, string];
  body?: string;
  contentType?: string;
  status: number;
  code: keyof typeof ERROR_STATUS;
}

const CASES: Case[] = [
  { name: 'an unknown route', method: 'GET', paths: ['/nope', '/nope'], status: 404, code: 'PULSE_NOT_FOUND' },
  { name: 'a known path with a method it does not serve', method: 'DELETE', paths: ['/api/v1/measurements', '/api/v1/run'], status: 404, code: 'PULSE_NOT_FOUND' },
  { name: 'a body that is not JSON', method: 'POST', paths: ['/api/v1/measurements', '/api/v1/run'], body: '{"type":', status: 400, code: 'PULSE_BAD_REQUEST' },
  { name: 'a __proto__ key', method: 'POST', paths: ['/api/v1/measurements', '/api/v1/run'], body: '{"__proto__":{"x":1}}', status: 400, code: 'PULSE_BAD_REQUEST' },
  { name: 'a body that is a list', method: 'POST', paths: ['/api/v1/measurements', '/api/v1/run'], body: '[1]', status: 400, code: 'PULSE_BAD_REQUEST' },
  { name: 'a body of another type', method: 'POST', paths: ['/api/v1/measurements', '/api/v1/run'], body: 'a,b', contentType: 'text/csv', status: 415, code: 'PULSE_UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a body too large', method: 'POST', paths: ['/api/v1/measurements', '/api/v1/run'], body: `{"x":"${'a'.repeat(2 * 1024 * 1024)}"}`, status: 413, code: 'PULSE_PAYLOAD_TOO_LARGE' },
  { name: 'a URL too long', method: 'GET', paths: [`/nope?${'q'.repeat(9000)}`, `/nope?${'q'.repeat(9000)}`], status: 414, code: 'PULSE_URL_TOO_LONG' },
];

describe('one error model for the hub and the exporter', () => {
  let pki: TestPki;
  let hub: Hub;
  let exporter: Exporter;
  const bases: string[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    const cert = await pki.issue('hub');
    const config = resolveConfig({ hub: { listen: '127.0.0.1:0', agent_tls: { cert_file: cert.certFile, key_file: cert.keyFile, ca_file: pki.caFile } } });
    hub = await buildHub({ config, probers: scriptedRegistry(), store: new MemoryAgentStore() });
    await hub.app.listen({ host: '127.0.0.1', port: 0 });
    exporter = await buildExporter({ config: parseConfig('modules:\n  tcp_connect:\n    prober: tcp\n', 'pulse.yml') });
    await exporter.app.listen({ host: '127.0.0.1', port: 0 });
    bases.push(`http://127.0.0.1:${(hub.app.server.address() as AddressInfo).port}`, `http://127.0.0.1:${(exporter.app.server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    await exporter?.app.close();
    await hub?.close();
    await pki?.cleanup();
  });

  it.each(CASES)('$name: the same status and code from both', async (c) => {
    const answers = await Promise.all(
      bases.map(async (base, i) => {
        const res = await fetch(`${base}${c.paths[i]}`, {
          method: c.method,
          ...(c.body === undefined ? {} : { body: c.body, headers: { 'content-type': c.contentType ?? 'application/json' } }),
        });
        const body = (await res.json()) as { error: { code: string; message: string } };
        return { status: res.status, code: body.error.code, reason: typeof body.error.message === 'string' && body.error.message !== '' };
      }),
    );
    expect(answers).toEqual([
      { status: c.status, code: c.code, reason: true },
      { status: c.status, code: c.code, reason: true },
    ]);
    expect(ERROR_STATUS[c.code]).toBe(c.status);
  });

  it('an unknown route is worded the same by both', async () => {
    const messages = await Promise.all(bases.map(async (base) => ((await (await fetch(`${base}/nope?x=1`)).json()) as { error: { message: string } }).error.message));
    expect(messages).toEqual(['no route for GET /nope', 'no route for GET /nope']);
  });
});

describe('errorResponse', () => {
  it('keeps a PulseError, maps a framework 4xx by its status, and hides what is ours', async () => {
    const { errorResponse } = await import('../../lib/error-response.js');
    const { PulseError } = await import('../../lib/errors.js');
    const cause = new Error('ECONNRESET');
    const err = new PulseError('PULSE_STORE_UNAVAILABLE', 'Redis is down', { cause });
    expect(err.cause).toBe(cause);
    expect(errorResponse(err)).toEqual({ status: 503, body: { error: { code: 'PULSE_STORE_UNAVAILABLE', message: 'Redis is down' } }, internal: false });
    expect(errorResponse(Object.assign(new Error('body/type must be string'), { statusCode: 400 })).body.error.code).toBe('PULSE_BAD_REQUEST');
    expect(errorResponse(Object.assign(new Error('too big'), { statusCode: 413 })).body.error.code).toBe('PULSE_PAYLOAD_TOO_LARGE');
    expect(errorResponse(new Error('password=hunter2 in a stack'))).toEqual({
      status: 500,
      body: { error: { code: 'PULSE_INTERNAL', message: 'internal error' } },
      internal: true,
    });
  });
});
