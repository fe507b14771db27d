import type { MetricSet } from '../../../lib/probe/metrics.js';
import { earliestExpiry, lastChainExpiry, type TlsInfo } from './tls-info.js';

/**
 * The series blackbox exports once a TLS handshake completed (expiries, the leaf, the version),
 * alike in its http and tcp probers, help texts included. The two expiry helps say what the value
 * is; blackbox 0.23's read "Returns last SSL chain expiry in unixtime" and "... in timestamp".
 */
export function tlsMetrics(metrics: MetricSet, info: TlsInfo, opts: { cipher?: boolean; chainExpiry?: boolean } = {}): MetricSet {
  const leaf = info.chain[0];
  metrics.gauge('probe_ssl_earliest_cert_expiry', 'Returns earliest SSL cert expiry in unixtime', earliestExpiry(info));
  if (opts.chainExpiry !== false) metrics.gauge('probe_ssl_last_chain_expiry_timestamp_seconds', 'Returns last SSL chain expiry in timestamp seconds', lastChainExpiry(info));
  if (leaf) {
    metrics.gauge('probe_ssl_last_chain_info', 'Contains SSL leaf certificate information', 1, {
      fingerprint_sha256: leaf.fingerprint_sha256,
      issuer: leaf.issuer,
      subject: leaf.subject,
      subjectalternative: leaf.dns_names.join(','),
      // blackbox 0.26+: hex of the serial's bytes, without the sign byte DER may add (Go's big.Int.Bytes).
      serialnumber: leaf.serial.replace(/^(00)+(?=.)/, ''),
    });
  }
  // blackbox's http prober (0.26+) names the cipher suite; its tcp and grpc probers do not.
  if (opts.cipher) metrics.gauge('probe_tls_cipher_info', 'Returns the TLS cipher negotiated during handshake', 1, { cipher: info.cipher_standard ?? info.cipher });
  return metrics.gauge('probe_tls_version_info', 'Returns the TLS version used or NaN when unknown', 1, { version: info.version });
}
