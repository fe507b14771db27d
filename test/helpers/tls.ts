import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestPki {
  dir: string;
  caFile: string;
  ca: string;
  /** Issues a certificate signed by the test CA; returns file paths and PEM text. */
  issue(name: string, opts?: IssueOptions): Promise<IssuedCert>;
  cleanup(): Promise<void>;
}

export interface IssueOptions {
  /** DNS names and IP addresses for the subjectAltName (server certificates). */
  hosts?: string[];
  /** Days of validity; negative or tiny values make expired/expiring certificates. */
  days?: number;
  usage?: 'server' | 'client' | 'both';
}

export interface IssuedCert {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A throwaway CA made with the openssl binary, for tests that need real TLS on loopback. */
export async function createTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-pki-'));
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.crt');
  await execa('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey]);
  await execa('openssl', ['req', '-x509', '-new', '-key', caKey, '-sha256', '-days', '30', '-subj', '/CN=Pulse Test CA', '-out', caFile]);
  const ca = await readFile(caFile, 'utf8');
  let serial = 1;
  return {
    dir,
    caFile,
    ca,
    async issue(name, opts = {}) {
      const keyFile = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const certFile = join(dir, `${name}.crt`);
      const ext = join(dir, `${name}.ext`);
      const hosts = opts.hosts ?? ['localhost', '127.0.0.1', '::1'];
      const san = hosts.map((h) => (/^[0-9.]+$/.test(h) || h.includes(':') ? `IP:${h}` : `DNS:${h}`)).join(',');
      const usage = opts.usage ?? 'both';
      const eku = usage === 'server' ? 'serverAuth' : usage === 'client' ? 'clientAuth' : 'serverAuth,clientAuth';
      const { writeFile } = await import('node:fs/promises');
      await writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=${eku}\nsubjectAltName=${san}\n`);
      await execa('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile]);
      await execa('openssl', ['req', '-new', '-key', keyFile, '-subj', `/CN=${name}`, '-out', csr]);
      await execa('openssl', [
        'x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-set_serial', String(++serial),
        '-days', String(opts.days ?? 10), '-sha256', '-extfile', ext, '-out', certFile,
      ]);
      return { certFile, keyFile, cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
