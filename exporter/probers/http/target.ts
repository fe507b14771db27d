import { isHostOrIp, splitHostPort } from '../../../lib/target.js';
import { unbracket } from '../shared/host-port.js';

/** A probe URL, split the way the dialer needs it. */
export interface HttpTarget {
  url: URL;
  /** Hostname without IPv6 brackets. */
  host: string;
  port: number;
  tls: boolean;
}

/** Like blackbox: a target without http:// or https:// gets http:// (case-sensitive, as Go checks). */
export function parseHttpTarget(target: string): HttpTarget | string {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target)?.[1];
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    return `unsupported URL scheme "${scheme}" (the http prober speaks http:// and https://)`;
  }
  const text = scheme === undefined ? `http://${target}` : target;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${target}" is not a valid URL`;
  }
  return fromUrl(url) ?? `"${target}" has no valid host`;
}

export function fromUrl(url: URL): HttpTarget | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = unbracket(url.hostname);
  if (!isHostOrIp(host)) return undefined;
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  return { url, host, port, tls };
}

/** The `endpoint` option: where to connect instead of the URL's host; the URL's port by default. */
export function parseEndpoint(endpoint: string, defaultPort: number): { host: string; port: number } | string {
  const hp = splitHostPort(endpoint, defaultPort);
  return typeof hp === 'string' ? `endpoint: ${hp}` : hp;
}
