import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type SecureVersion } from 'node:tls';
import type { TlsConfig } from '../../../lib/config/common.js';

const VERSIONS: Record<string, SecureVersion> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/**
 * node:tls options for DNS over TLS from blackbox's tls_config. As in blackbox, the name checked
 * against the certificate defaults to the target's host. SNI carries it only when it is a name:
 * RFC 6066 forbids IP addresses there, and Node warns if given one.
 */
export async function dnsTlsOptions(config: TlsConfig | undefined, targetHost: string): Promise<ConnectionOptions> {
  const c = config ?? {};
  const serverName = c.server_name || targetHost;
  const opts: ConnectionOptions = {
    rejectUnauthorized: !c.insecure_skip_verify,
    checkServerIdentity: (_host, cert) => checkServerIdentity(serverName, cert),
  };
  if (isIP(serverName) === 0) opts.servername = serverName;
  if (c.ca_file) opts.ca = await readFile(c.ca_file);
  if (c.cert_file) opts.cert = await readFile(c.cert_file);
  if (c.key_file) opts.key = await readFile(c.key_file);
  if (c.min_version) opts.minVersion = VERSIONS[c.min_version];
  if (c.max_version) opts.maxVersion = VERSIONS[c.max_version];
  return opts;
}
