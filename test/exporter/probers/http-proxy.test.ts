import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handler, startProxy, startServer, type TestProxy, type TestServer } from '../../helpers/http-servers.js';
import { runModule } from '../../helpers/http-probe.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

const probe = (target: string, http: Record<string, unknown> = {}) => runModule('http', http, target, '10s');

let pki: TestPki;
let plain: TestServer;
let secure: TestServer;
let proxy: TestProxy;
let proxyUrl: string;

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue('localhost');
  const handler: Handler = (_req, res) => res.end('behind the proxy');
  plain = await startServer(handler);
  secure = await startServer(handler, { tls: { cert: cert.cert, key: cert.key } });
  proxy = await startProxy('school', 'p@ss:word');
  proxyUrl = `http://school:${encodeURIComponent('p@ss:word')}@127.0.0.1:${proxy.port}`;
});

afterAll(async () => {
  await Promise.all([plain.close(), secure.close(), proxy.close()]);
  await pki.cleanup();
});

describe('http prober through an authenticating forward proxy', () => {
  it('sends an http target in absolute form with Proxy-Authorization from proxy_url', async () => {
    const out = await probe(`${plain.origin}/page?x=1`, { proxy_url: proxyUrl, fail_if_body_not_matches_regexp: ['behind'] });
    expect(out.reason).toBeUndefined();
    expect(proxy.log.at(-1)).toEqual({ method: 'GET', target: `http://127.0.0.1:${plain.port}/page?x=1`, authorized: true });
    expect(plain.requests.at(-1)!.headers.host).toBe(`127.0.0.1:${plain.port}`);
    expect(plain.requests.at(-1)!.headers['proxy-authorization']).toBeUndefined();
    expect((out.details.hops as { via_proxy: string }[])[0]!.via_proxy).toBe(`127.0.0.1:${proxy.port}`);
  });

  it('tunnels an https target through CONNECT and still verifies the server certificate', async () => {
    const out = await probe(`${secure.origin}/`, { proxy_url: proxyUrl, tls_config: { ca_file: pki.caFile } });
    expect(out.reason).toBeUndefined();
    expect(proxy.log.at(-1)).toEqual({ method: 'CONNECT', target: `127.0.0.1:${secure.port}`, authorized: true });
    expect(out.metrics.get('probe_http_ssl')).toBe(1);
    expect(out.metrics.get('probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
  });

  it('fails clearly when the proxy refuses the credentials', async () => {
    const bad = `http://school:wrong@127.0.0.1:${proxy.port}`;
    const tunnel = await probe(`${secure.origin}/`, { proxy_url: bad, tls_config: { ca_file: pki.caFile } });
    expect(tunnel.success).toBe(false);
    expect(tunnel.reason).toBe(`waiting for the proxy to CONNECT to 127.0.0.1:${secure.port}: proxy answered 407 Proxy Authentication Required`);
    const forward = await probe(`${plain.origin}/`, { proxy_url: bad });
    expect(forward.success).toBe(false);
    expect(forward.reason).toBe('HTTP status 407, wanted 2xx');
    expect(forward.metrics.get('probe_http_status_code')).toBe(407);
  });

  it('lets the proxy resolve the name with skip_resolve_phase_with_proxy, exporting no resolution metrics', async () => {
    const out = await probe(`http://localhost:${plain.port}/`, { proxy_url: proxyUrl, skip_resolve_phase_with_proxy: true });
    expect(out.reason).toBeUndefined();
    expect(proxy.log.at(-1)!.target).toBe(`http://localhost:${plain.port}/`);
    expect(out.metrics.has('probe_ip_protocol')).toBe(false);
    expect(out.metrics.has('probe_dns_lookup_time_seconds')).toBe(false);
    // As blackbox: no resolve phase series at all, the other phases as usual.
    expect(out.metrics.get('probe_http_duration_seconds', { phase: 'resolve' })).toBeUndefined();
    expect(out.metrics.get('probe_http_duration_seconds', { phase: 'connect' })).toBeGreaterThanOrEqual(0);
  });
});
