// @peculiar/x509 resolves its parsers through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { EC_SIGNING, generateKeyPair, importSigningKey, privateKeyToPem, randomSerial, useNodeCrypto } from './crypto.js';

export type CertKind = 'server' | 'agent' | 'client';
export const CERT_KINDS: readonly CertKind[] = ['server', 'agent', 'client'];

export interface PemPair {
  cert: string;
  key: string;
}

const DAY_MS = 86_400_000;

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // Backdated a little so a peer whose clock lags does not see a "not yet valid" certificate.
  const notBefore = new Date(Date.now() - 5 * 60_000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

/** A self-signed CA (ECDSA P-256), allowed to sign end-entity certificates only. */
export async function createCa(opts: { name?: string; days?: number } = {}): Promise<PemPair> {
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${escapeDn(opts.name ?? 'Pulse CA')}, O=Pulse`,
    ...validity(opts.days ?? 3650),
    keys,
    signingAlgorithm: EC_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await privateKeyToPem(keys.privateKey) };
}

export interface IssueRequest {
  kind: CertKind;
  /** The CN: an agent's name in the hub, a client's identity, a server's main host name. */
  name: string;
  /** DNS names and IP addresses for subjectAltName (server and agent certificates). */
  hosts?: string[];
  days?: number;
}

/**
 * Signs a new end-entity certificate. Servers and agents get both EKUs: an agent's certificate is
 * its exporter's TLS server certificate and its client certificate towards the hub, and the hub
 * uses its server certificate as client certificate when it calls agents.
 */
export async function issueCertificate(ca: PemPair, req: IssueRequest): Promise<PemPair> {
  useNodeCrypto();
  const caCert = new x509.X509Certificate(ca.cert);
  const { key: caKey, signing } = await importSigningKey(ca.key);
  const keys = await generateKeyPair();
  const serverAuth = req.kind !== 'client';
  const usages = serverAuth ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usages, false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const hosts = req.hosts ?? [];
  if (hosts.length > 0) {
    const names = hosts.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
    extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${escapeDn(req.name)}, O=Pulse, OU=${req.kind}`,
    issuer: caCert.subjectName,
    ...validity(req.days ?? 825),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: signing,
    extensions,
  });
  return { cert: cert.toString('pem'), key: await privateKeyToPem(keys.privateKey) };
}

/** RFC 4514 escaping so a name with a comma or plus stays one CN. */
function escapeDn(value: string): string {
  return value.replace(/([,+"\\<>;=#])/g, '\\$1');
}
