import { createHash, X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Handler, startServer, type TestServer } from '../../helpers/http-servers.js';
import { runModule } from '../../helpers/http-probe.js';
import { createTestPki, type IssuedCert, type TestPki } from '../../helpers/tls.js';

const probe = (target: string, http: Record<string, unknown> = {}, timeout = '10s') => runModule('http', http, target, timeout);

let pki: TestPki;
let cert: IssuedCert;
let vhostCert: IssuedCert;
let https: TestServer;
let vhost: TestServer;
let h2: TestServer;

beforeAll(async () => {
  pki = await createTestPki();
  cert = await pki.issue('localhost');
  vhostCert = await pki.issue('vhost.pulse.test', { hosts: ['vhost.pulse.test'] });
  const handler: Handler = (req, res) => {
    res.setHeader('Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
    res.end(`hello over ${req.httpVersion}`);
  };
  https = await startServer(handler, { tls: { cert: cert.cert, key: cert.key } });
  vhost = await startServer(handler, { tls: { cert: vhostCert.cert, key: vhostCert.key } });
  h2 = await startServer(handler, { tls: { cert: cert.cert, key: cert.key }, http2: true });
});

afterAll(async () => {
  await Promise.all([https.close(), vhost.close(), h2.close()]);
  await pki.cleanup();
});

describe('http prober over TLS', () => {
  it('verifies against ca_file and exports the TLS metrics and certificate details', async () => {
    const out = await probe(`${https.origin}/`, { tls_config: { ca_file: pki.caFile } });
    expect(out.reason).toBeUndefined();
    expect(out.success).toBe(true);
    const m = out.metrics;
    const x = new X509Certificate(cert.cert);
    const notAfter = Math.floor(new Date(x.validTo).getTime() / 1000);
    const fingerprint = createHash('sha256').update(x.raw).digest('hex');
    expect(m.get('probe_http_ssl')).toBe(1);
    expect(m.get('probe_ssl_earliest_cert_expiry')).toBe(notAfter);
    expect(m.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(notAfter);
    expect(
      m.get('probe_ssl_last_chain_info', {
        fingerprint_sha256: fingerprint,
        issuer: 'CN=Pulse Test CA',
        subject: 'CN=localhost',
        subjectalternative: 'localhost',
        serialnumber: x.serialNumber.toLowerCase(),
      }),
    ).toBe(1);
    // blackbox 0.25+ names the cipher suite as Go's tls.CipherSuiteName does (IANA names).
    expect(m.get('probe_tls_cipher_info', { cipher: 'TLS_AES_256_GCM_SHA384' })).toBe(1);
    expect(m.get('probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
    expect(m.get('probe_http_duration_seconds', { phase: 'tls' })).toBeGreaterThan(0);
    const tls = out.details.tls as { version: string; verified: boolean; chain: { subject: string; issuer: string; dns_names: string[]; ip_addresses: string[]; fingerprint_sha256: string; not_after: string }[] };
    expect(tls.version).toBe('TLS 1.3');
    expect(tls.verified).toBe(true);
    expect(tls.chain[0]).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=Pulse Test CA',
      dns_names: ['localhost'],
      ip_addresses: ['127.0.0.1', '::1'],
      fingerprint_sha256: fingerprint,
      not_after: new Date(notAfter * 1000).toISOString(),
    });
    expect(https.requests.at(-1)!.servername).toBeUndefined();
  });

  it('fails on an untrusted certificate, and insecure_skip_verify accepts it with Go\'s zero chain expiry', async () => {
    const untrusted = await probe(`${https.origin}/`);
    expect(untrusted.success).toBe(false);
    expect(untrusted.reason).toBe(`TLS handshake with 127.0.0.1:${https.port}: unable to verify the first certificate`);
    expect(untrusted.metrics.get('probe_http_ssl')).toBe(0);
    const skipped = await probe(`${https.origin}/`, { tls_config: { insecure_skip_verify: true } });
    expect(skipped.success).toBe(true);
    expect(skipped.metrics.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(-62135596800);
    expect((skipped.details.tls as { verified: boolean }).verified).toBe(false);
  });

  it('fails fail_if_ssl on an https target and passes fail_if_not_ssl', async () => {
    const out = await probe(`${https.origin}/`, { tls_config: { ca_file: pki.caFile }, fail_if_ssl: true });
    expect(out.success).toBe(false);
    expect(out.reason).toBe('final request was over SSL (fail_if_ssl)');
    expect((await probe(`${https.origin}/`, { tls_config: { ca_file: pki.caFile }, fail_if_not_ssl: true })).success).toBe(true);
  });

  it('uses a Host header as SNI and verification name while connecting to the URL address', async () => {
    const target = `https://127.0.0.1:${vhost.port}/`;
    const wrong = await probe(target, { tls_config: { ca_file: pki.caFile } });
    expect(wrong.success).toBe(false);
    expect(wrong.reason).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+: Hostname\/IP does not match certificate's altnames/);
    const other = await probe(target, { tls_config: { ca_file: pki.caFile }, headers: { Host: 'other.pulse.test' } });
    expect(other.reason).toMatch(new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${vhost.port} as other\\.pulse\\.test: Hostname/IP does not match`));
    expect(vhost.requests.length).toBe(0);
    const out = await probe(target, { tls_config: { ca_file: pki.caFile }, headers: { Host: 'vhost.pulse.test' } });
    expect(out.reason).toBeUndefined();
    const seen = vhost.requests.at(-1)!;
    expect(seen.servername).toBe('vhost.pulse.test');
    expect(seen.headers.host).toBe('vhost.pulse.test');
    expect(out.metrics.get('probe_ssl_last_chain_info', {
      fingerprint_sha256: createHash('sha256').update(new X509Certificate(vhostCert.cert).raw).digest('hex'),
      issuer: 'CN=Pulse Test CA',
      subject: 'CN=vhost.pulse.test',
      subjectalternative: 'vhost.pulse.test',
      serialnumber: new X509Certificate(vhostCert.cert).serialNumber.toLowerCase(),
    })).toBe(1);
  });

  it('lets tls_config.server_name set SNI', async () => {
    const out = await probe(`https://127.0.0.1:${vhost.port}/`, { tls_config: { ca_file: pki.caFile, server_name: 'vhost.pulse.test' } });
    expect(out.success).toBe(true);
    expect(vhost.requests.at(-1)!.servername).toBe('vhost.pulse.test');
    expect(vhost.requests.at(-1)!.headers.host).toBe(`127.0.0.1:${vhost.port}`);
  });

  it('connects to endpoint while URL host gives Host header and SNI (the hub\'s Endpoint vs Host)', async () => {
    const out = await probe(`https://vhost.pulse.test:${vhost.port}/path?q=1`, { tls_config: { ca_file: pki.caFile }, endpoint: '127.0.0.1' });
    expect(out.reason).toBeUndefined();
    const seen = vhost.requests.at(-1)!;
    expect(seen.servername).toBe('vhost.pulse.test');
    expect(seen.headers.host).toBe(`vhost.pulse.test:${vhost.port}`);
    expect(seen.url).toBe('/path?q=1');
    expect(out.details.connected_to).toBe(`127.0.0.1:${vhost.port}`);
  });

  it('sends configured headers named like Object properties over HTTP/2 as they are', async () => {
    const out = await probe(`${h2.origin}/`, { tls_config: { ca_file: pki.caFile }, headers: { constructor: 'x', toString: 'y' } });
    expect(out.reason).toBeUndefined();
    expect(h2.requests.at(-1)!.headers.constructor).toBe('x');
    expect(h2.requests.at(-1)!.headers.tostring).toBe('y');
  });

  it('speaks HTTP/2 when the server offers it by ALPN, and HTTP/1.1 with enable_http2: false', async () => {
    const two = await probe(`${h2.origin}/`, { tls_config: { ca_file: pki.caFile } });
    expect(two.reason).toBeUndefined();
    expect(two.metrics.get('probe_http_version')).toBe(2);
    expect(two.details.http_version).toBe('HTTP/2.0');
    expect(two.metrics.get('probe_http_uncompressed_body_length')).toBe('hello over 2.0'.length);
    expect(two.metrics.get('probe_http_last_modified_timestamp_seconds')).toBe(1445412480);
    expect(h2.requests.at(-1)!.httpVersion).toBe('2.0');
    const vOk = await probe(`${h2.origin}/`, { tls_config: { ca_file: pki.caFile }, valid_http_versions: ['HTTP/2.0'] });
    expect(vOk.success).toBe(true);
    const one = await probe(`${h2.origin}/`, { tls_config: { ca_file: pki.caFile }, enable_http2: false });
    expect(one.success).toBe(true);
    expect(one.metrics.get('probe_http_version')).toBe(1.1);
    expect(h2.requests.at(-1)!.httpVersion).toBe('1.1');
  });

  it('presents a client certificate from tls_config', async () => {
    const client = await pki.issue('probe-client', { usage: 'client' });
    const server = createServer({ cert: cert.cert, key: cert.key, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.end(`client ${peer.subject?.CN}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const ok = await probe(`https://127.0.0.1:${port}/`, {
        tls_config: { ca_file: pki.caFile, cert_file: client.certFile, key_file: client.keyFile },
        fail_if_body_not_matches_regexp: ['^client probe-client$'],
      });
      expect(ok.reason).toBeUndefined();
      const without = await probe(`https://127.0.0.1:${port}/`, { tls_config: { ca_file: pki.caFile } });
      expect(without.success).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a server below tls_config.min_version', async () => {
    const old = await startServer((_req, res) => res.end('old'), { tls: { cert: cert.cert, key: cert.key } });
    try {
      const ok = await probe(`${old.origin}/`, { tls_config: { ca_file: pki.caFile, max_version: 'TLS12' } });
      expect(ok.success).toBe(true);
      expect(ok.metrics.get('probe_tls_version_info', { version: 'TLS 1.2' })).toBe(1);
    } finally {
      await old.close();
    }
    const tls12 = createServer({ cert: cert.cert, key: cert.key, maxVersion: 'TLSv1.2' }, (_req, res) => res.end('x'));
    await new Promise<void>((resolve) => tls12.listen(0, '127.0.0.1', resolve));
    try {
      const port = (tls12.address() as { port: number }).port;
      const out = await probe(`https://127.0.0.1:${port}/`, { tls_config: { ca_file: pki.caFile, min_version: 'TLS13' } });
      expect(out.success).toBe(false);
      expect(out.reason).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+: .*(protocol version|alert)/);
    } finally {
      tls12.closeAllConnections();
      await new Promise<void>((resolve) => tls12.close(() => resolve()));
    }
  });

  it('follows a redirect from http to https and reports the final hop', async () => {
    const plain = await startServer((_req, res) => {
      res.writeHead(301, { Location: `${https.origin}/secure` });
      res.end();
    });
    try {
      const out = await probe(`${plain.origin}/`, { tls_config: { ca_file: pki.caFile }, fail_if_not_ssl: true });
      expect(out.reason).toBeUndefined();
      expect(out.metrics.get('probe_http_redirects')).toBe(1);
      expect(out.metrics.get('probe_http_ssl')).toBe(1);
      expect(out.details.url).toBe(`${https.origin}/secure`);
    } finally {
      await plain.close();
    }
  });
});
