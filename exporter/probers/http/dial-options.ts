import type { HttpOptions } from '../../../lib/config/probers/http.js';
import type { ProxyParams, TlsParams } from './connect.js';
import { readTlsFile, TLS_VERSIONS } from '../shared/tls-options.js';
import { unbracket } from './target.js';

/** proxy_url → where to dial and the Proxy-Authorization its credentials make. */
export function proxyParams(url: URL): ProxyParams {
  const tls = url.protocol === 'https:';
  const p: ProxyParams = { host: unbracket(url.hostname), port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), tls };
  if (url.username || url.password) {
    const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    p.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
  }
  return p;
}

/** tls_config → TLS options, files read at each probe so rotated certificates are picked up. */
export async function tlsFiles(o: HttpOptions): Promise<Omit<TlsParams, 'serverName' | 'alpn'>> {
  const t = o.tls_config ?? {};
  const out: Omit<TlsParams, 'serverName' | 'alpn'> = { insecureSkipVerify: t.insecure_skip_verify ?? false };
  if (t.ca_file) out.ca = await readTlsFile(t.ca_file, 'ca_file');
  if (t.cert_file) out.cert = await readTlsFile(t.cert_file, 'cert_file');
  if (t.key_file) out.key = await readTlsFile(t.key_file, 'key_file');
  if (t.min_version) out.minVersion = TLS_VERSIONS[t.min_version]!;
  if (t.max_version) out.maxVersion = TLS_VERSIONS[t.max_version]!;
  return out;
}

