import type { CertInfo, TlsInfo, TlsSummary } from '../../../lib/probers/details/tls.js';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

// The shapes are declared once, as the schema of `details.tls` (lib/probers/details/tls.ts).
export type { CertInfo, TlsInfo };

let parser: typeof import('./cert-parse.js') | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the certificate parser (@peculiar/asn1-x509, about 5 MB resident) on the first TLS probe
 * rather than at start: an agent that never probes TLS never loads it. A prober awaits this before
 * its handshake, so reading the certificates right after it stays synchronous.
 */
export function loadCertParser(): Promise<void> {
  loading ??= import('./cert-parse.js').then((m) => {
    parser = m;
  });
  return loading;
}

export function certInfo(der: Buffer): CertInfo {
  if (!parser) throw new Error('certInfo before loadCertParser()');
  return parser.certInfo(der);
}

/** "TLSv1.3" → "TLS 1.3", the label value blackbox uses. */
export function tlsVersionLabel(protocol: string | null): string {
  if (!protocol) return 'unknown';
  const m = /^TLSv(\d(?:\.\d)?)$/.exec(protocol);
  if (!m) return protocol;
  return `TLS ${m[1]!.includes('.') ? m[1] : `${m[1]}.0`}`;
}

/**
 * `insecureSkipVerify` as configured: Node checks the chain even when it does not enforce it, and
 * may find it valid; Go does not verify at all then, so blackbox reports no verified chain.
 */
export function tlsInfo(socket: TLSSocket, insecureSkipVerify = false): TlsInfo {
  const chain: CertInfo[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(certInfo(cert.raw));
    cert = cert.issuerCertificate;
  }
  const info: TlsInfo = {
    version: tlsVersionLabel(socket.getProtocol()),
    cipher: socket.getCipher()?.name ?? 'unknown',
    cipher_standard: socket.getCipher()?.standardName ?? 'unknown',
    verified: socket.authorized && !insecureSkipVerify,
    chain,
  };
  if (socket.alpnProtocol) info.alpn = socket.alpnProtocol;
  if (socket.authorizationError) info.verify_error = String(socket.authorizationError);
  else if (insecureSkipVerify) info.verify_error = 'not checked: insecure_skip_verify is set';
  return info;
}

/** probe_ssl_earliest_cert_expiry: the soonest not_after in the chain. */
/** The shorter `details.tls` of tcp, unix and grpc: the leaf rather than the chain (the chain stays in the metrics). */
export function tlsSummary(info: TlsInfo, via?: TlsSummary['via']): TlsSummary {
  const out: TlsSummary = { version: info.version, cipher: info.cipher, verified: info.verified, chain_length: info.chain.length };
  if (via) out.via = via;
  if (info.verify_error !== undefined) out.verify_error = info.verify_error;
  if (info.chain[0]) out.certificate = info.chain[0];
  return out;
}

export function earliestExpiry(info: TlsInfo): number {
  return Math.min(...info.chain.map((c) => c.not_after_seconds));
}

/**
 * probe_ssl_last_chain_expiry_timestamp_seconds: the soonest expiry of the verified chain. Go
 * reports the zero time (year 1) when nothing was verified, i.e. with insecure_skip_verify.
 */
export const GO_ZERO_TIME = -62135596800;
export function lastChainExpiry(info: TlsInfo): number {
  return info.verified ? earliestExpiry(info) : GO_ZERO_TIME;
}
