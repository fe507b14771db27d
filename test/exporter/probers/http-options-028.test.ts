import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bypassed, proxyFor } from '../../../exporter/probers/http/env-proxy.js';
import { parseTokenResponse, tokenRequestBody, tokenType } from '../../../exporter/probers/http/oauth2.js';
import { runModule } from '../../helpers/http-probe.js';
import { startProxy, startServer, type TestProxy, type TestServer } from '../../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

/** blackbox_exporter 0.24–0.28 http options, against real servers started here. */
const probe = (target: string, http: Record<string, unknown> = {}) => runModule('http', http, target, '10s');

let dir: string;
let app: TestServer;
let tokenServer: TestServer;
let pki: TestPki;
let secure: TestServer;
let proxy: TestProxy;
let tokensIssued = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-i18-http-'));
  pki = await createTestPki();
  const cert = await pki.issue('localhost');
  app = await startServer((req, res, body) => {
    if (req.url === '/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"foo":"bar","baz":"qux","n":3}');
    if (req.url === '/text') return void res.end('not json');
    if (req.url === '/echo') return void res.end(body);
    if (req.url === '/protected') {
      const ok = req.headers.authorization === 'Bearer tok-1';
      return void res.writeHead(ok ? 200 : 401).end();
    }
    res.end('ok');
  });
  tokenServer = await startServer((req, res, body) => {
    const basic = `Basic ${Buffer.from('my-client:s3cret').toString('base64')}`;
    if (req.method !== 'POST' || req.headers.authorization !== basic) return void res.writeHead(401).end('{"error":"invalid_client"}');
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials' || form.get('audience') !== 'pulse') return void res.writeHead(400).end('{"error":"invalid_request"}');
    tokensIssued++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', token_type: 'bearer', expires_in: 3600 }));
  });
  secure = await startServer((_req, res) => res.end('secure'), { tls: { cert: cert.cert, key: cert.key } });
  proxy = await startProxy('school', 'pw');
});

afterAll(async () => {
  await Promise.all([app.close(), tokenServer.close(), secure.close(), proxy.close()]);
  await pki.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('http_headers, body_file, basic_auth.username_file', () => {
  it('sends values, secrets and file contents of http_headers, each as a header line', async () => {
    const file = join(dir, 'api-key');
    await writeFile(file, 'from-file\n');
    const out = await probe(`${app.origin}/`, {
      headers: { 'X-Plain': 'p' },
      http_headers: { 'X-Api-Key': { values: ['v1'], secrets: ['s1'], files: [file] }, 'Accept-Language': { values: ['en-US'] } },
    });
    expect(out.reason).toBeUndefined();
    const h = app.requests.at(-1)!.headers;
    expect(h['x-plain']).toBe('p');
    expect(h['x-api-key']).toBe('v1, s1, from-file');
    expect(h['accept-language']).toBe('en-US');
  });

  it('fails the probe, naming the header, when an http_headers file cannot be read', async () => {
    const out = await probe(`${app.origin}/`, { http_headers: { 'X-Key': { files: [join(dir, 'missing')] } } });
    expect(out.success).toBe(false);
    expect(out.reason).toContain('reading http_headers file for X-Key: ENOENT');
  });

  it('posts body_file, read at each probe', async () => {
    const file = join(dir, 'body.json');
    await writeFile(file, '{"n":1}');
    const first = await probe(`${app.origin}/echo`, { method: 'POST', body_file: file, fail_if_body_not_matches_regexp: ['"n":1'] });
    expect(first.reason).toBeUndefined();
    await writeFile(file, '{"n":2}');
    const second = await probe(`${app.origin}/echo`, { method: 'POST', body_file: file, fail_if_body_not_matches_regexp: ['"n":1'] });
    expect(second.success).toBe(false);
    expect(app.requests.at(-1)!.body).toBe('{"n":2}');
  });

  it('reads basic_auth.username_file', async () => {
    const file = join(dir, 'user');
    await writeFile(file, 'alice\n');
    await probe(`${app.origin}/`, { basic_auth: { username_file: file, password: 'pw' } });
    expect(app.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('alice:pw').toString('base64')}`);
  });
});

describe('oauth2 client credentials', () => {
  const oauth2 = () => ({ client_id: 'my-client', client_secret: 's3cret', token_url: `${tokenServer.origin}/token`, endpoint_params: { audience: 'pulse' } });

  it('fetches a token from token_url, sends it, and reuses it until it expires', async () => {
    const before = tokensIssued;
    const first = await probe(`${app.origin}/protected`, { oauth2: oauth2() });
    expect(first.reason).toBeUndefined();
    const second = await probe(`${app.origin}/protected`, { oauth2: oauth2() });
    expect(second.reason).toBeUndefined();
    expect(tokensIssued - before).toBe(1);
  });

  it('fails the probe with the token endpoint answer when the client is refused', async () => {
    const out = await probe(`${app.origin}/protected`, { oauth2: { ...oauth2(), client_secret: 'wrong' } });
    expect(out.success).toBe(false);
    expect(out.reason).toContain('oauth2: cannot fetch token: 401');
  });

  it('builds the token request and reads the answer as Go oauth2 does', () => {
    expect(tokenRequestBody({ client_id: 'c', token_url: 'http://x', scopes: ['a', 'b'], endpoint_params: { k: 'v' } })).toBe(
      'grant_type=client_credentials&scope=a+b&k=v',
    );
    expect(tokenType('bearer')).toBe('Bearer');
    expect(tokenType('')).toBe('Bearer');
    expect(tokenType('DPoP')).toBe('DPoP');
    expect(parseTokenResponse('{"access_token":"t","expires_in":60}', 'application/json', 0)).toEqual({ header: 'Bearer t', refreshAt: 50_000 });
    expect(parseTokenResponse('access_token=t&token_type=mac', 'application/x-www-form-urlencoded', 0).header).toBe('MAC t');
    expect(() => parseTokenResponse('{}', 'application/json', 0)).toThrow('missing access_token');
  });
});

describe('CEL checks on JSON bodies', () => {
  it('passes when fail_if_body_json_not_matches_cel holds, and exports probe_failed_due_to_cel 0', async () => {
    const out = await probe(`${app.origin}/json`, { fail_if_body_json_not_matches_cel: "body.foo == 'bar' && body.baz.startsWith('q')" });
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_failed_due_to_cel')).toBe(0);
  });

  it('fails on fail_if_body_json_matches_cel, on a non-JSON body and on a non-boolean result', async () => {
    const matched = await probe(`${app.origin}/json`, { fail_if_body_json_matches_cel: 'body.n > 2.0' });
    expect(matched.reason).toBe('body matched fail_if_body_json_matches_cel "body.n > 2.0"');
    expect(matched.metrics.get('probe_failed_due_to_cel')).toBe(1);
    const text = await probe(`${app.origin}/text`, { fail_if_body_json_not_matches_cel: 'true' });
    expect(text.reason).toMatch(/^body is not JSON/);
    const notBool = await probe(`${app.origin}/json`, { fail_if_body_json_not_matches_cel: 'body.foo' });
    expect(notBool.reason).toBe('evaluating fail_if_body_json_not_matches_cel: CEL evaluation result is not a boolean');
  });

  it('exports no probe_failed_due_to_cel for a module without CEL, as blackbox', async () => {
    const out = await probe(`${app.origin}/`);
    expect(out.metrics.get('probe_failed_due_to_cel')).toBeUndefined();
  });
});

describe('proxy_connect_header, no_proxy, proxy_from_environment', () => {
  it('sends proxy_connect_header on the CONNECT of an https target', async () => {
    const out = await probe(`${secure.origin}/`, {
      proxy_url: `http://127.0.0.1:${proxy.port}`,
      proxy_connect_header: { 'Proxy-Authorization': [`Basic ${Buffer.from('school:pw').toString('base64')}`] },
      tls_config: { ca_file: pki.caFile },
    });
    expect(out.reason).toBeUndefined();
    expect(proxy.log.at(-1)).toEqual({ method: 'CONNECT', target: `127.0.0.1:${secure.port}`, authorized: true });
  });

  it('goes direct to a host in no_proxy', async () => {
    const seen = proxy.log.length;
    const out = await probe(`${app.origin}/`, { proxy_url: `http://school:pw@127.0.0.1:${proxy.port}`, no_proxy: '127.0.0.0/8' });
    expect(out.reason).toBeUndefined();
    expect(proxy.log.length).toBe(seen);
  });

  it('chooses the proxy as Go http.ProxyFromEnvironment and httpproxy NO_PROXY do', () => {
    const env = { HTTPS_PROXY: 'proxy.test:3128', http_proxy: 'http://plain.test:8080', NO_PROXY: '.internal.test,10.0.0.0/8,api.test:8443' };
    const o = { proxy_from_environment: true };
    expect(proxyFor(new URL('https://example.test/'), o, env)?.href).toBe('http://proxy.test:3128/');
    expect(proxyFor(new URL('http://example.test/'), o, env)?.href).toBe('http://plain.test:8080/');
    expect(proxyFor(new URL('https://a.internal.test/'), o, env)).toBeUndefined();
    expect(proxyFor(new URL('https://10.1.2.3/'), o, env)).toBeUndefined();
    expect(proxyFor(new URL('https://api.test:8443/'), o, env)).toBeUndefined();
    expect(proxyFor(new URL('https://api.test/'), o, env)?.host).toBe('proxy.test:3128');
    expect(proxyFor(new URL('http://localhost/'), o, env)).toBeUndefined();
    expect(proxyFor(new URL('http://x.test/'), { proxy_from_environment: false, proxy_url: 'http://p:1' }, env)?.href).toBe('http://p:1/');
    // Without no_proxy, proxy_url takes everything, loopback included (Go's http.ProxyURL).
    expect(proxyFor(new URL('http://127.0.0.1/'), { proxy_from_environment: false, proxy_url: 'http://p:1' }, {})?.host).toBe('p:1');
    expect(bypassed(new URL('http://internal.test/'), '*')).toBe(true);
    expect(bypassed(new URL('http://other.test/'), 'internal.test')).toBe(false);
  });
});
