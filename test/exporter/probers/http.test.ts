import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_MATCH_LIMIT } from '../../../exporter/probers/http/body.js';
import { buildExporter } from '../../../exporter/server.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { refusedPort, startServer, type TestServer } from '../../helpers/http-servers.js';
import { runModule } from '../../helpers/http-probe.js';

const probe = (target: string, http: Record<string, unknown> = {}, timeout = '10s') => runModule('http', http, target, timeout);

let srv: TestServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-http-'));
  srv = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (p === '/') {
      res.setHeader('Content-Type', 'text/plain');
      res.end('hello pulse');
    } else if (p === '/status') {
      res.statusCode = Number(url.searchParams.get('code'));
      res.end('x');
    } else if (p === '/echo') {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ method: req.method, body }));
    } else if (p.startsWith('/hop/')) {
      const n = Number(p.slice(5));
      if (n > 0) {
        res.writeHead(302, { Location: `/hop/${n - 1}`, 'Set-Cookie': `c${n}=v${n}; Path=/` });
        res.end();
      } else res.end('landed');
    } else if (p === '/loop') {
      res.writeHead(302, { Location: '/loop' });
      res.end();
    } else if (p === '/vhost-redirect') {
      res.writeHead(301, { Location: `http://pulse-vhost.test:${srv.port}/` });
      res.end();
    } else if (p === '/absolute') {
      res.writeHead(301, { Location: `${srv.origin}/` });
      res.end();
    } else if (p === '/see-other') {
      res.writeHead(303, { Location: '/echo' });
      res.end();
    } else if (p === '/temporary') {
      res.writeHead(307, { Location: '/echo' });
      res.end();
    } else if (p === '/odd-headers') {
      res.setHeader('Constructor', 'c');
      res.setHeader('__proto__', 'p');
      res.end('ok');
    } else if (p === '/headers') {
      res.setHeader('X-Version', ['v1', 'v2']);
      res.setHeader('Server', 'pulse-test/1.0');
      res.end('ok');
    } else if (p === '/auth') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('alice:s3cret').toString('base64')}` || req.headers.authorization === 'Bearer tok-123';
      res.statusCode = ok ? 200 : 401;
      res.end(ok ? 'welcome' : 'denied');
    } else if (p.startsWith('/compressed/')) {
      const text = 'compressible '.repeat(200);
      const enc = p.slice('/compressed/'.length);
      const data =
        enc === 'gzip' ? gzipSync(text) : enc === 'br' ? brotliCompressSync(text) : enc === 'deflate' ? deflateSync(text) : enc === 'rawdeflate' ? deflateRawSync(text) : Buffer.from(text);
      res.setHeader('Content-Encoding', enc === 'rawdeflate' ? 'deflate' : enc);
      res.setHeader('Content-Length', String(data.length));
      res.end(data);
    } else if (p === '/huge-tail') {
      res.write(Buffer.alloc(BODY_MATCH_LIMIT, 'a'));
      res.end('TAIL');
    } else if (p === '/big') {
      res.end('x'.repeat(10_000));
    } else if (p === '/modified') {
      res.setHeader('Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
      res.end('old');
    } else if (p === '/chunked') {
      res.write('part1');
      res.end('part2');
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
});

afterAll(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('http prober against a real HTTP server', () => {
  it('succeeds on a 200 and reports blackbox metrics and details', async () => {
    const out = await probe(`${srv.origin}/`);
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    const m = out.metrics;
    expect(m.get('probe_http_status_code')).toBe(200);
    expect(m.get('probe_http_version')).toBe(1.1);
    expect(m.get('probe_http_content_length')).toBe(11);
    expect(m.get('probe_http_uncompressed_body_length')).toBe(11);
    expect(m.get('probe_http_redirects')).toBe(0);
    expect(m.get('probe_http_ssl')).toBe(0);
    expect(m.get('probe_ip_protocol')).toBe(4);
    expect(m.get('probe_failed_due_to_regex')).toBe(0);
    expect(m.has('probe_ssl_earliest_cert_expiry')).toBe(false);
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
      expect(m.get('probe_http_duration_seconds', { phase })).toBeGreaterThanOrEqual(0);
    }
    expect(m.get('probe_http_duration_seconds', { phase: 'tls' })).toBe(0);
    const d = out.details;
    expect(d.url).toBe(`${srv.origin}/`);
    expect(d.status_code).toBe(200);
    expect(d.http_version).toBe('HTTP/1.1');
    expect(d.ip).toBe('127.0.0.1');
    expect((d.headers as Record<string, string>)['content-type']).toBe('text/plain');
    expect(d).not.toHaveProperty('tls');
    const seen = srv.requests.at(-1)!;
    expect(seen.headers['user-agent']).toMatch(/^Pulse\//);
    expect(seen.headers.host).toBe(`127.0.0.1:${srv.port}`);
  });

  it('adds http:// to a target without a scheme, as blackbox does', async () => {
    const out = await probe(`127.0.0.1:${srv.port}/`);
    expect(out.success).toBe(true);
    expect(out.details.url).toBe(`${srv.origin}/`);
  });

  it('measures transfer over a chunked body and reports content length -1 like Go', async () => {
    const out = await probe(`${srv.origin}/chunked`);
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_http_content_length')).toBe(-1);
    expect(out.metrics.get('probe_http_uncompressed_body_length')).toBe(10);
  });

  it('fails on a non-2xx status by default and accepts it through valid_status_codes', async () => {
    const bad = await probe(`${srv.origin}/status?code=404`);
    expect(bad.success).toBe(false);
    expect(bad.reason).toBe('HTTP status 404, wanted 2xx');
    expect(bad.metrics.get('probe_http_status_code')).toBe(404);
    const ok = await probe(`${srv.origin}/status?code=404`, { valid_status_codes: [404, 410] });
    expect(ok.success).toBe(true);
    const notListed = await probe(`${srv.origin}/status?code=200`, { valid_status_codes: [204] });
    expect(notListed.success).toBe(false);
    expect(notListed.reason).toBe('HTTP status 200 is not one of valid_status_codes [204]');
  });

  it('sends the configured method, body and headers', async () => {
    const out = await probe(`${srv.origin}/echo`, { method: 'POST', body: '{"q":1}', headers: { 'Content-Type': 'application/json', 'X-Probe': 'yes' } });
    expect(out.success).toBe(true);
    const seen = srv.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.body).toBe('{"q":1}');
    expect(seen.headers['x-probe']).toBe('yes');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['content-length']).toBe('7');
  });

  it('keeps response headers named like Object properties as plain headers', async () => {
    const out = await probe(`${srv.origin}/odd-headers`);
    expect(out.success).toBe(true);
    const headers = out.details.headers as Record<string, unknown>;
    expect(Object.hasOwn(headers, 'constructor') && headers.constructor).toBe('c');
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('p');
    expect(JSON.parse(JSON.stringify(out.details)).headers).toMatchObject({ constructor: 'c' });
  });

  it('follows redirects, counts them, and carries cookies along the chain', async () => {
    const out = await probe(`${srv.origin}/hop/3`);
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_http_redirects')).toBe(3);
    expect(out.details.url).toBe(`${srv.origin}/hop/0`);
    expect((out.details.hops as unknown[]).length).toBe(4);
    expect(srv.requests.at(-1)!.headers.cookie).toBe('c3=v3; c2=v2; c1=v1');
  });

  it('does not follow redirects with follow_redirects: false (or no_follow_redirects) and reports the 3xx', async () => {
    for (const opts of [{ follow_redirects: false }, { no_follow_redirects: true }]) {
      const out = await probe(`${srv.origin}/hop/2`, opts);
      expect(out.success).toBe(false);
      expect(out.metrics.get('probe_http_status_code')).toBe(302);
      expect(out.metrics.get('probe_http_redirects')).toBe(1);
      expect(out.reason).toBe('HTTP status 302, wanted 2xx');
    }
    const accepted = await probe(`${srv.origin}/hop/2`, { follow_redirects: false, valid_status_codes: [302] });
    expect(accepted.success).toBe(true);
  });

  it('stops after 10 redirects like Go, reporting the 11th', async () => {
    const ten = await probe(`${srv.origin}/hop/10`);
    expect(ten.success).toBe(true);
    expect(ten.metrics.get('probe_http_redirects')).toBe(10);
    const loop = await probe(`${srv.origin}/loop`);
    expect(loop.success).toBe(false);
    expect(loop.metrics.get('probe_http_redirects')).toBe(11);
    expect(loop.metrics.get('probe_http_status_code')).toBe(302);
  });

  it('follows an absolute Location', async () => {
    const out = await probe(`${srv.origin}/absolute`);
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_http_redirects')).toBe(1);
  });

  it('turns a POST into a GET on 303 and keeps method and body on 307, as Go does', async () => {
    const seeOther = await probe(`${srv.origin}/see-other`, { method: 'POST', body: 'payload' });
    expect(seeOther.success).toBe(true);
    expect(srv.requests.at(-1)).toMatchObject({ method: 'GET', body: '' });
    const temporary = await probe(`${srv.origin}/temporary`, { method: 'POST', body: 'payload' });
    expect(temporary.success).toBe(true);
    expect(srv.requests.at(-1)).toMatchObject({ method: 'POST', body: 'payload' });
  });

  it('fails on fail_if_body_matches_regexp and fail_if_body_not_matches_regexp, with a summary but never the body', async () => {
    const matches = await probe(`${srv.origin}/`, { fail_if_body_matches_regexp: ['(?i)HELLO'] });
    expect(matches.success).toBe(false);
    expect(matches.reason).toBe('body matched fail_if_body_matches_regexp /(?i)HELLO/');
    expect(matches.metrics.get('probe_failed_due_to_regex')).toBe(1);
    expect(matches.details.body_match).toEqual({
      checked: true,
      failed_regexp: '(?i)HELLO',
      failed_rule: 'fail_if_body_matches_regexp',
      matched: ['(?i)HELLO'],
    });
    expect(JSON.stringify(matches.details)).not.toContain('hello pulse');

    const notMatches = await probe(`${srv.origin}/`, { fail_if_body_not_matches_regexp: ['goodbye'] });
    expect(notMatches.success).toBe(false);
    expect(notMatches.reason).toBe('body did not match fail_if_body_not_matches_regexp /goodbye/');
    expect(notMatches.metrics.get('probe_failed_due_to_regex')).toBe(1);

    // Like blackbox, a failed status check means the body regexps are never evaluated.
    const notReached = await probe(`${srv.origin}/status?code=500`, { fail_if_body_matches_regexp: ['x'] });
    expect(notReached.reason).toBe('HTTP status 500, wanted 2xx');
    expect(notReached.metrics.get('probe_failed_due_to_regex')).toBe(0);
    expect(notReached.details.body_match).toEqual({ checked: false, matched: [], skipped: 'an earlier check failed' });

    const passes = await probe(`${srv.origin}/`, { fail_if_body_not_matches_regexp: ['^hello'], fail_if_body_matches_regexp: ['error'] });
    expect(passes.success).toBe(true);
    expect(passes.metrics.get('probe_failed_due_to_regex')).toBe(0);
    expect(passes.details.body_match).toEqual({ checked: true, matched: ['^hello'] });
  });

  it('checks headers with fail_if_header_matches / fail_if_header_not_matches and allow_missing', async () => {
    const url = `${srv.origin}/headers`;
    const m1 = await probe(url, { fail_if_header_matches: [{ header: 'server', regexp: 'pulse-test' }] });
    expect(m1.success).toBe(false);
    expect(m1.reason).toBe('header server matched fail_if_header_matches /pulse-test/');
    expect(m1.metrics.get('probe_failed_due_to_regex')).toBe(1);
    // Every value of a repeated header is tried.
    const m2 = await probe(url, { fail_if_header_not_matches: [{ header: 'X-Version', regexp: '^v2$' }] });
    expect(m2.success).toBe(true);
    const m3 = await probe(url, { fail_if_header_not_matches: [{ header: 'X-Version', regexp: '^v3$' }] });
    expect(m3.success).toBe(false);
    expect(m3.reason).toBe('header X-Version did not match fail_if_header_not_matches /^v3$/');
    const missing = await probe(url, { fail_if_header_not_matches: [{ header: 'X-Absent', regexp: '.' }] });
    expect(missing.success).toBe(false);
    expect(missing.reason).toBe('header X-Absent is missing');
    const allowed = await probe(url, { fail_if_header_matches: [{ header: 'X-Absent', regexp: '.', allow_missing: true }] });
    expect(allowed.success).toBe(true);
  });

  it('checks valid_http_versions', async () => {
    const ok = await probe(`${srv.origin}/`, { valid_http_versions: ['HTTP/1.1'] });
    expect(ok.success).toBe(true);
    const bad = await probe(`${srv.origin}/`, { valid_http_versions: ['HTTP/2.0'] });
    expect(bad.success).toBe(false);
    expect(bad.reason).toBe('HTTP version HTTP/1.1 is not one of valid_http_versions [HTTP/2.0]');
  });

  it('fails a plain-HTTP probe with fail_if_not_ssl and passes fail_if_ssl', async () => {
    const out = await probe(`${srv.origin}/`, { fail_if_not_ssl: true });
    expect(out.success).toBe(false);
    expect(out.reason).toBe('final request was not over SSL (fail_if_not_ssl)');
    expect((await probe(`${srv.origin}/`, { fail_if_ssl: true })).success).toBe(true);
  });

  it('sends basic_auth (password or password_file), bearer_token and authorization', async () => {
    expect((await probe(`${srv.origin}/auth`)).success).toBe(false);
    expect((await probe(`${srv.origin}/auth`, { basic_auth: { username: 'alice', password: 's3cret' } })).success).toBe(true);
    const file = join(dir, 'password');
    await writeFile(file, 's3cret\n');
    expect((await probe(`${srv.origin}/auth`, { basic_auth: { username: 'alice', password_file: file } })).success).toBe(true);
    expect((await probe(`${srv.origin}/auth`, { bearer_token: 'tok-123' })).success).toBe(true);
    expect((await probe(`${srv.origin}/auth`, { authorization: { credentials: 'tok-123' } })).success).toBe(true);
    expect((await probe(`${srv.origin}/auth`, { bearer_token: 'wrong' })).success).toBe(false);
  });

  it('uses credentials in the target URL as Basic auth, like Go, and never shows them', async () => {
    const out = await probe(`http://alice:s3cret@127.0.0.1:${srv.port}/auth`);
    expect(out.success).toBe(true);
    expect(out.details.url).toBe(`${srv.origin}/auth`);
    expect(JSON.stringify(out.details)).not.toContain('s3cret');
    expect(JSON.stringify(out.logs.filter((l) => l.msg !== 'Beginning probe'))).not.toContain('s3cret');
  });

  it('asks for and decodes the configured compression', async () => {
    for (const [enc, path] of [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['deflate', 'deflate'],
      ['deflate', 'rawdeflate'],
    ] as const) {
      const out = await probe(`${srv.origin}/compressed/${path}`, { compression: enc, fail_if_body_not_matches_regexp: ['^compressible'] });
      expect(out.reason).toBeUndefined();
      expect(out.metrics.get('probe_http_uncompressed_body_length')).toBe('compressible '.length * 200);
      expect(out.metrics.get('probe_http_content_length')).toBeLessThan('compressible '.length * 200);
      expect(srv.requests.at(-1)!.headers['accept-encoding']).toBe(enc);
    }
    const plain = await probe(`${srv.origin}/`, { compression: 'gzip' });
    expect(plain.success).toBe(false);
    expect(plain.reason).toMatch(/^reading the gzip body failed: /);
  });

  it('fails when the body exceeds body_size_limit', async () => {
    const over = await probe(`${srv.origin}/big`, { body_size_limit: '1KB' });
    expect(over.success).toBe(false);
    expect(over.reason).toBe('response body is larger than body_size_limit (1024 bytes)');
    const under = await probe(`${srv.origin}/big`, { body_size_limit: '1MiB' });
    expect(under.success).toBe(true);
    expect(under.metrics.get('probe_http_uncompressed_body_length')).toBe(10_000);
  });

  it('matches body regexes against at most BODY_MATCH_LIMIT bytes when body_size_limit is unset', async () => {
    const capped = await probe(`${srv.origin}/huge-tail`, { fail_if_body_not_matches_regexp: ['TAIL'] });
    expect(capped.success).toBe(false);
    expect(capped.reason).toMatch(/fail_if_body_not_matches_regexp/);
    expect(capped.metrics.get('probe_http_uncompressed_body_length')).toBe(BODY_MATCH_LIMIT + 4);
    const head = await probe(`${srv.origin}/huge-tail`, { fail_if_body_not_matches_regexp: ['^a'] });
    expect(head.reason).toBeUndefined();
    const withLimit = await probe(`${srv.origin}/huge-tail`, { fail_if_body_not_matches_regexp: ['TAIL'], body_size_limit: '11MiB' });
    expect(withLimit.reason).toBeUndefined();
  });

  it('exports Last-Modified only when the server sends it', async () => {
    const out = await probe(`${srv.origin}/modified`);
    expect(out.metrics.get('probe_http_last_modified_timestamp_seconds')).toBe(Date.UTC(2015, 9, 21, 7, 28, 0) / 1000);
    expect((await probe(`${srv.origin}/`)).metrics.has('probe_http_last_modified_timestamp_seconds')).toBe(false);
  });

  it('sends a Host header different from the URL host', async () => {
    const out = await probe(`${srv.origin}/`, { headers: { Host: 'vhost.example.test' } });
    expect(out.success).toBe(true);
    expect(srv.requests.at(-1)!.headers.host).toBe('vhost.example.test');
  });

  it('connects to endpoint while the Host header keeps the URL host', async () => {
    const out = await probe(`http://pulse-vhost.test:${srv.port}/`, { endpoint: '127.0.0.1' });
    expect(out.success).toBe(true);
    expect(out.details.ip).toBe('127.0.0.1');
    expect(srv.requests.at(-1)!.headers.host).toBe(`pulse-vhost.test:${srv.port}`);
  });
});

describe('endpoint and redirects', () => {
  it('keeps connecting to endpoint when a redirect names the same virtual host', async () => {
    const out = await probe(`http://pulse-vhost.test:${srv.port}/vhost-redirect`, { endpoint: '127.0.0.1' });
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_http_redirects')).toBe(1);
    expect(out.details.url).toBe(`http://pulse-vhost.test:${srv.port}/`);
    expect(srv.requests.at(-1)!.headers.host).toBe(`pulse-vhost.test:${srv.port}`);
  });

  it('sends HEAD and reads no body', async () => {
    const out = await probe(`${srv.origin}/`, { method: 'HEAD' });
    expect(out.success).toBe(true);
    expect(srv.requests.at(-1)!.method).toBe('HEAD');
    expect(out.metrics.get('probe_http_uncompressed_body_length')).toBe(0);
  });
});

describe('/probe with the http prober', () => {
  it('answers 400 with a reason for targets the http prober cannot use, and keeps serving', async () => {
    const exporter = await buildExporter({ config: resolveConfig({ modules: { http_2xx: { prober: 'http' } } }) });
    try {
      for (const [target, reason] of [
        ['ftp://127.0.0.1/', 'unsupported URL scheme "ftp" (the http prober speaks http:// and https://)'],
        ['http://', '"http://" is not a valid URL'],
        ['http://127.0.0.1:70000/', '"http://127.0.0.1:70000/" is not a valid URL'],
      ] as const) {
        const res = await exporter.app.inject({ url: `/probe?module=http_2xx&target=${encodeURIComponent(target)}` });
        expect(res.statusCode).toBe(400);
        expect(res.body).toBe(`${reason}\n`);
      }
      const ok = await exporter.app.inject({ url: `/probe?module=http_2xx&target=${encodeURIComponent(`${srv.origin}/`)}` });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('probe_success 1\n');
    } finally {
      await exporter.app.close();
    }
  });
});

describe('http prober failures', () => {
  it('reports a refused port with a clear reason and the pre-created series', async () => {
    const port = await refusedPort();
    const out = await probe(`http://127.0.0.1:${port}/`);
    expect(out.success).toBe(false);
    expect(out.reason).toBe(`connecting to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(out.metrics.get('probe_http_status_code')).toBe(0);
    expect(out.metrics.get('probe_http_duration_seconds', { phase: 'processing' })).toBe(0);
    expect(out.metrics.get('probe_ip_protocol')).toBe(4);
  });

  it('honours the timeout against a server that never answers', async () => {
    const stall = await startServer(() => {
      // Never respond: the probe must give up on its own signal.
    });
    try {
      const out = await probe(`${stall.origin}/`, {}, '2s');
      expect(out.success).toBe(false);
      expect(out.reason).toBe(`timed out after 2s while waiting for the response headers from ${stall.origin}`);
      expect(out.metrics.get('probe_http_status_code')).toBe(0);
      expect(stall.requests.length).toBe(1);
    } finally {
      await stall.close();
    }
  });

  it('honours the timeout while a body trickles in', async () => {
    const slow = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first bytes');
    });
    try {
      const out = await probe(`${slow.origin}/`, {}, '2s');
      expect(out.success).toBe(false);
      expect(out.reason).toBe(`timed out after 2s while reading the response body from ${slow.origin}`);
      expect(out.metrics.get('probe_http_status_code')).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('headers_only closes after the headers of an endless body, and succeeds', async () => {
    let closed!: () => void;
    const closedByClient = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const endless = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (res.write(chunk)) {
          // keep the socket buffer full until the client goes away
        }
      };
      res.on('drain', pump);
      res.on('close', () => closed());
      pump();
    });
    try {
      const out = await probe(`${endless.origin}/`, { headers_only: true }, '5s');
      expect(out.reason).toBeUndefined();
      expect(out.success).toBe(true);
      expect(out.metrics.get('probe_http_uncompressed_body_length')).toBe(0);
      expect(out.details.body_read).toBe(false);
      expect(out.details.headers_only).toBe(true);
      await closedByClient;
      // Without headers_only the same server makes the probe run into its timeout.
      const full = await probe(`${endless.origin}/`, {}, '2s');
      expect(full.success).toBe(false);
      expect(full.reason).toMatch(/^timed out after 2s while reading the response body/);
    } finally {
      await endless.close();
    }
  });

  it('fails to resolve a name that does not exist, keeping probe_ip_protocol 0', async () => {
    const out = await probe('http://does-not-exist.invalid/');
    expect(out.success).toBe(false);
    expect(out.reason).toMatch(/^resolving does-not-exist\.invalid: /);
    expect(out.metrics.get('probe_ip_protocol')).toBe(0);
    expect(out.metrics.get('probe_ip_addr_hash')).toBe(0);
    expect(out.metrics.has('probe_http_duration_seconds')).toBe(true);
  });
});

describe('http prober over IPv6 loopback', () => {
  let v6: TestServer;
  beforeAll(async () => {
    v6 = await startServer((_req, res) => res.end('six'), { host: '::1' });
  });
  afterAll(() => v6.close());

  it('probes [::1] and reports IPv6', async () => {
    const out = await probe(`${v6.origin}/`);
    expect(out.success).toBe(true);
    expect(out.metrics.get('probe_ip_protocol')).toBe(6);
    expect(out.details.ip).toBe('::1');
  });

  it('refuses an IPv6-only target with preferred_ip_protocol ip4 and no fallback', async () => {
    const out = await probe(`${v6.origin}/`, { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false });
    expect(out.success).toBe(false);
    expect(out.reason).toBe('resolving ::1: no IPv4 address found');
    const fallback = await probe(`${v6.origin}/`, { preferred_ip_protocol: 'ip4' });
    expect(fallback.success).toBe(true);
    expect(fallback.metrics.get('probe_ip_protocol')).toBe(6);
  });
});
