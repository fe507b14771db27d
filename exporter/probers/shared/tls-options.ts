import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions, PeerCertificate, SecureVersion } from 'node:tls';
import { nodeTls } from './node-tls.js';
import type { TlsConfig } from '../../../lib/config/common.js';

export const TLS_VERSIONS: Record<string, SecureVersion> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/**
 * Node TLS client options for a blackbox `tls_config` (tcp and DNS over TLS). The name checked
 * against the certificate is `server_name`, else (unset or empty, as Go's ServerName "") the
 * target's host: blackbox dials the resolved IP but verifies the name the user wrote. An IP is
 * verified against IP SANs but never sent as SNI (RFC 6066).
 */
export async function tlsClientOptions(cfg: TlsConfig | undefined, targetHost: string): Promise<ConnectionOptions> {
  const c = cfg ?? {};
  const name = c.server_name || targetHost;
  const opts: ConnectionOptions = {
    rejectUnauthorized: !c.insecure_skip_verify,
    checkServerIdentity: (_host: string, cert: PeerCertificate) => nodeTls().checkServerIdentity(name, cert),
  };
  if (isIP(name) === 0 && name !== '') opts.servername = name;
  if (c.ca_file !== undefined) opts.ca = await readTlsFile(c.ca_file, 'ca_file');
  if (c.cert_file !== undefined) opts.cert = await readTlsFile(c.cert_file, 'cert_file');
  if (c.key_file !== undefined) opts.key = await readTlsFile(c.key_file, 'key_file');
  if (c.min_version !== undefined) opts.minVersion = TLS_VERSIONS[c.min_version]!;
  if (c.max_version !== undefined) opts.maxVersion = TLS_VERSIONS[c.max_version]!;
  return opts;
}

/** A tls_config file, with an error naming the key and the file. */
export async function readTlsFile(file: string, key: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new Error(`tls_config.${key}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
