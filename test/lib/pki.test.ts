import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { initCa, issueFiles, readCa } from '../../lib/pki.js';
import { createTestPki } from '../helpers/tls.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pulse-pki-test-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function text(cert: string): Promise<string> {
  return (await execa('openssl', ['x509', '-in', cert, '-noout', '-text', '-nameopt', 'RFC2253'])).stdout;
}

describe('Pulse PKI', () => {
  test('init makes a CA with an owner-only key and refuses to overwrite it', async () => {
    const dir = join(await tempDir(), 'certs');
    const files = await initCa(dir);
    expect((await stat(files.keyFile)).mode & 0o777).toBe(0o600);
    const ca = await text(files.certFile);
    expect(ca).toMatch(/Subject: O=Pulse,CN=Pulse CA/);
    expect(ca).toMatch(/CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/Certificate Sign, CRL Sign/);
    expect(ca).toMatch(/ASN1 OID: prime256v1/);
    await expect(initCa(dir)).rejects.toThrow(/refusing to overwrite/);
  });

  test('agent certificates: CN is the name, both EKUs, SANs from hosts, verified by openssl', async () => {
    const dir = await tempDir();
    await initCa(dir);
    const files = await issueFiles(dir, { kind: 'agent', name: 'ams-probe-1', hosts: ['probe1.pulse.test', '192.0.2.10', '2001:db8::10'] });
    expect(files.certFile).toBe(join(dir, 'ams-probe-1.crt'));
    expect((await stat(files.keyFile)).mode & 0o777).toBe(0o600);
    const t = await text(files.certFile);
    expect(t).toMatch(/Subject: OU=agent,O=Pulse,CN=ams-probe-1/);
    expect(t).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(t).toMatch(/DNS:probe1\.pulse\.test, IP Address:192\.0\.2\.10, IP Address:2001:DB8:0:0:0:0:0:10/);
    expect(t).toMatch(/CA:FALSE/);
    await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslserver', files.certFile]);
    await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslclient', files.certFile]);
    // The key matches the certificate.
    const pubFromCert = (await execa('openssl', ['x509', '-in', files.certFile, '-noout', '-pubkey'])).stdout;
    const pubFromKey = (await execa('openssl', ['pkey', '-in', files.keyFile, '-pubout'])).stdout;
    expect(pubFromKey).toBe(pubFromCert);
  });

  test('client certificates are for clients only; servers carry their hosts', async () => {
    const dir = await tempDir();
    await initCa(dir);
    const client = await issueFiles(dir, { kind: 'client', name: 'prometheus' });
    const ct = await text(client.certFile);
    expect(ct).toMatch(/TLS Web Client Authentication/);
    expect(ct).not.toMatch(/TLS Web Server Authentication/);
    expect(ct).not.toMatch(/Subject Alternative Name/);
    const bad = await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), '-purpose', 'sslserver', client.certFile], { reject: false });
    expect(bad.exitCode).not.toBe(0);
    const server = await issueFiles(dir, { kind: 'server', name: 'hub', hosts: ['hub.pulse.test', '127.0.0.1'] });
    expect(await text(server.certFile)).toMatch(/DNS:hub\.pulse\.test, IP Address:127\.0\.0\.1/);
  });

  test('names are file-safe and existing files are kept unless forced', async () => {
    const dir = await tempDir();
    await initCa(dir);
    await expect(issueFiles(dir, { kind: 'agent', name: '../etc/x' })).rejects.toThrow(/invalid name/);
    await expect(issueFiles(dir, { kind: 'agent', name: 'ca' })).rejects.toThrow(/invalid name/);
    const first = await issueFiles(dir, { kind: 'agent', name: 'a' });
    const before = await readFile(first.certFile, 'utf8');
    await expect(issueFiles(dir, { kind: 'agent', name: 'a' })).rejects.toThrow(/already exists/);
    await issueFiles(dir, { kind: 'agent', name: 'a', force: true });
    expect(await readFile(first.certFile, 'utf8')).not.toBe(before);
  });

  test('two runs racing for the same name: one wins, the others fail, the pair on disk matches', async () => {
    const dir = await tempDir();
    const inits = await Promise.allSettled(Array.from({ length: 4 }, () => initCa(dir)));
    expect(inits.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of inits) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/already exists|refusing to overwrite/);
    const issues = await Promise.allSettled(Array.from({ length: 4 }, () => issueFiles(dir, { kind: 'client', name: 'twin' })));
    expect(issues.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of issues) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/already exists/);
    // The certificate on disk is for the key on disk, and the CA on disk signed it.
    const pub = async (args: string[]) => (await execa('openssl', args)).stdout;
    expect(await pub(['x509', '-in', join(dir, 'twin.crt'), '-noout', '-pubkey'])).toBe(await pub(['pkey', '-in', join(dir, 'twin.key'), '-pubout']));
    await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'twin.crt')]);
  });

  test('issuing without a CA says how to make one', async () => {
    const dir = await tempDir();
    await expect(readCa(dir)).rejects.toThrow(/pulse certs init --dir/);
  });

  test('your own CA signs Pulse certificates: an openssl EC key (SEC1) and an RSA key', async () => {
    const own = await createTestPki();
    try {
      const files = await issueFiles(own.dir, { kind: 'agent', name: 'byo', hosts: ['127.0.0.1'] });
      await execa('openssl', ['verify', '-CAfile', own.caFile, files.certFile]);
    } finally {
      await own.cleanup();
    }
    const dir = await tempDir();
    await execa('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '2', '-subj', '/CN=Corp RSA CA']);
    const files = await issueFiles(dir, { kind: 'server', name: 'hub', hosts: ['localhost'] });
    await execa('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), files.certFile]);
    expect(await text(files.certFile)).toMatch(/Issuer: CN=Corp RSA CA/);
  });
});
