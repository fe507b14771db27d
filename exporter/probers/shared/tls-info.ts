import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

export interface CertInfo {
  subject: string;
  issuer: string;
  /** DNS names of the subjectAltName (what blackbox's subjectalternative label lists). */
  dns_names: string[];
  ip_addresses: string[];
  not_before: string;
  not_after: string;
  /** Unix seconds of not_after. */
  not_after_seconds: number;
  fingerprint_sha256: string;
  serial: string;
}

export interface TlsInfo {
  /** As blackbox labels it: "TLS 1.3". */
  version: string;
  cipher: string;
  /** The IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), as Go's tls.CipherSuiteName gives it. */
  cipher_standard?: string;
  alpn?: string;
  /** Whether the chain verified against the trust roots (false with insecure_skip_verify). */
  verified: boolean;
  verify_error?: string;
  /** The leaf first, then its issuers. */
  chain: CertInfo[];
}

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
