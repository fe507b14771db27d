import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';
import { scriptedRegistry } from './scripted-prober.js';

describe('input validation on the users\' port', () => {
  let pki: TestPki;
  let hub: Hub;
  beforeAll(async () => {
    pki = await createTestPki();
    const cert = await pki.issue('hub');
    // Loopback: the users' port needs no token (test/hub/auth/ covers the other case).
    const config = resolveConfig({ hub: { listen: '127.0.0.1:0', agent_tls: { cert_file: cert.certFile, key_file: cert.keyFile, ca_file: pki.caFile } } });
    hub = await buildHub({ config, probers: scriptedRegistry(), store: new MemoryAgentStore() });
  });
  afterAll(async () => {
    await hub?.close();
    await pki?.cleanup();
  });

  async function send(url: string, payload: string, contentType = 'application/json') {
    const res = await hub.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
    return { status: res.statusCode, error: (res.json() as { error: { code: string; message: string } }).error };
  }
  const json = (url: string, body: unknown) => send(url, JSON.stringify(body));

  test.each([
    ['unknown type', { type: 'smtp', target: 'x' }, 400, 'PULSE_UNKNOWN_TYPE', /unknown test type "smtp"/],
    ['missing type', { target: 'x' }, 400, 'PULSE_UNKNOWN_TYPE', /one of: http, tcp/],
    ['bad target for the prober', { type: 'tcp', target: 'no spaces allowed' }, 400, 'PULSE_BAD_TARGET', /scripted targets look like/],
    ['target starting with a dash', { type: 'tcp', target: '-oProxyCommand=x' }, 400, 'PULSE_BAD_TARGET', /must not start with "-"/],
    ['empty target', { type: 'tcp', target: '' }, 400, 'PULSE_BAD_TARGET', /target parameter is missing/],
    ['selector with a bad label name', { type: 'tcp', target: 'ok.test:1', agents: { 'bad-name': 'x' } }, 400, 'PULSE_BAD_SELECTOR', /not a valid label name/],
    ['selector with a non-string value', { type: 'tcp', target: 'ok.test:1', agents: { site: 1 } }, 400, 'PULSE_BAD_SELECTOR', /agents.site must be a string/],
    ['selector that is a list', { type: 'tcp', target: 'ok.test:1', agents: ['a'] }, 400, 'PULSE_BAD_SELECTOR', /object of label/],
    ['timeout too long', { type: 'tcp', target: 'ok.test:1', timeout: 121 }, 400, 'PULSE_BAD_TIMEOUT', /at most 120/],
    ['timeout not a number', { type: 'tcp', target: 'ok.test:1', timeout: '10s' }, 400, 'PULSE_BAD_TIMEOUT', /number of seconds/],
    ['unknown field', { type: 'tcp', target: 'ok.test:1', module: 'x' }, 400, 'PULSE_BAD_REQUEST', /unknown field "module"/],
    ['unknown prober option', { type: 'http', target: 'http://127.0.0.1/', options: { no_such_option: 1 } }, 400, 'PULSE_BAD_OPTIONS', /options/],
    ['body not an object', [1, 2], 400, 'PULSE_BAD_REQUEST', /JSON object/],
  ])('%s', async (_name, body, status, code, message) => {
    const r = await json('/api/v1/measurements', body);
    expect(r.status).toBe(status);
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(message);
  });

  test('wrong content type → 415', async () => {
    const r = await send('/api/v1/measurements', 'type=tcp&target=ok.test:1', 'application/x-www-form-urlencoded');
    expect(r.status).toBe(415);
    expect(r.error.code).toBe('PULSE_UNSUPPORTED_MEDIA_TYPE');
    expect(r.error.message).toMatch(/application\/json/);
    const text = await send('/dns/', '{"Host":"a"}', 'text/plain');
    expect(text.status).toBe(415);
  });

  test('oversized body → 413', async () => {
    const r = await json('/api/v1/measurements', { type: 'tcp', target: 'ok.test:1', options: { pad: 'x'.repeat(100_000) } });
    expect(r.status).toBe(413);
    expect(r.error.code).toBe('PULSE_PAYLOAD_TOO_LARGE');
  });

  test('malformed JSON → 400', async () => {
    const r = await send('/api/v1/measurements', '{"type":');
    expect(r.status).toBe(400);
    expect(r.error.code).toBe('PULSE_BAD_REQUEST');
  });

  test('seed payloads are checked too', async () => {
    expect((await json('/dns/', { Host: 'example.org', QType: 1, Targets: [] })).error.code).toBe('PULSE_BAD_TARGET');
    expect((await json('/dns/', { Host: 'example.org', QType: 1, Targets: ['-x'] })).error.code).toBe('PULSE_BAD_TARGET');
    expect((await json('/dns/', { Host: 'example.org', Targets: ['127.0.0.1'], Extra: 1 })).error.message).toMatch(/unknown field "Extra"/);
    expect((await json('/curl/', { Path: '/', Host: 'h' })).error.message).toMatch(/Endpoint/);
    expect((await json('/curl/', { Endpoint: '127.0.0.1', Ssl: 'yes' })).error.message).toMatch(/Ssl must be true or false/);
    expect((await json('/mtr/', { Target: '127.0.0.1', IPv: '5' })).error.message).toMatch(/IPv must be "4", "6"/);
    expect((await json('/mtr/', { Target: '127.0.0.1', agents: { 'x-y': 'z' } })).error.code).toBe('PULSE_BAD_SELECTOR');
  });

  test('unknown routes and /sd jobs are 404 in the error shape', async () => {
    const res = await hub.app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'PULSE_NOT_FOUND', message: 'no route for GET /nope' } });
    const sd = await hub.app.inject({ method: 'GET', url: '/sd?job=missing' });
    expect(sd.statusCode).toBe(404);
  });
});
