import type { HttpOptions } from '../../../lib/config/probers/http.js';
import type { TlsParams } from './connect.js';
import { readTlsFile, TLS_VERSIONS } from '../shared/tls-options.js';

type TlsBase = Omit<TlsParams, 'serverName' | 'alpn'>;

/**
 * tls_config → TLS options: a promise only when there are files to read (at each probe, so
 * rotated certificates are picked up); without files, no promise and no await on the hot path.
 */
export function tlsOptions(o: HttpOptions): TlsBase | Promise<TlsBase> {
  const t = o.tls_config;
  if (t?.ca_file || t?.cert_file || t?.key_file) return tlsFiles(o);
  return tlsStatic(o);
}

function tlsStatic(o: HttpOptions): TlsBase {
  const t = o.tls_config ?? {};
  const out: TlsBase = { insecureSkipVerify: t.insecure_skip_verify ?? false };
  if (t.min_version) out.minVersion = TLS_VERSIONS[t.min_version]!;
  if (t.max_version) out.maxVersion = TLS_VERSIONS[t.max_version]!;
  return out;
}

/** tls_config → TLS options, files read at each probe so rotated certificates are picked up. */
export async function tlsFiles(o: HttpOptions): Promise<TlsBase> {
  const t = o.tls_config ?? {};
  const out: TlsBase = { insecureSkipVerify: t.insecure_skip_verify ?? false };
  if (t.ca_file) out.ca = await readTlsFile(t.ca_file, 'ca_file');
  if (t.cert_file) out.cert = await readTlsFile(t.cert_file, 'cert_file');
  if (t.key_file) out.key = await readTlsFile(t.key_file, 'key_file');
  if (t.min_version) out.minVersion = TLS_VERSIONS[t.min_version]!;
  if (t.max_version) out.maxVersion = TLS_VERSIONS[t.max_version]!;
  return out;
}

