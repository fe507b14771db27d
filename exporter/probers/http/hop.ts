import { type RedirectStep, refererFor } from './request.js';
import { unbracket } from './target.js';

/** Where one round trip goes and what it says. */
export interface Hop {
  url: URL;
  method: string;
  body?: Buffer;
  /** Host header. */
  authority: string;
  /** SNI and the name the certificate must carry. */
  serverName: string;
  /** Host and port to dial (an address once resolved), and whether that still needs resolving. */
  connectHost: string;
  connectPort: number;
  needsResolve: boolean;
  crossHost: boolean;
  referer?: string;
}

/**
 * The round trip a redirect leads to. A relative Location, or one naming the probed virtual host
 * again, reuses the address (or endpoint) already chosen, like Go reusing blackbox's resolved
 * URL; any other host is resolved afresh and gets its own SNI.
 */
export function nextHop(prev: Hop, step: RedirectStep, vhost: { host: string; port: number; connectHost: string; connectPort: number; serverName: string }): Hop {
  const url = step.url;
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const host = unbracket(url.hostname);
  const same = step.relative ? { connectHost: prev.connectHost, connectPort: prev.connectPort, serverName: prev.serverName } : host === vhost.host && port === vhost.port ? vhost : undefined;
  const next: Hop = {
    url,
    method: step.method,
    // Go keeps the Host header only for a relative Location.
    authority: step.relative ? prev.authority : url.host,
    serverName: same?.serverName ?? host,
    connectHost: same?.connectHost ?? host,
    connectPort: same?.connectPort ?? port,
    needsResolve: same === undefined,
    crossHost: same === undefined || prev.crossHost,
  };
  if (step.keepBody && prev.body) next.body = prev.body;
  const referer = refererFor(prev.url, url);
  if (referer) next.referer = referer;
  return next;
}

/** A URL fit for logs and details: credentials in it are dropped. */
export function displayUrl(url: URL): string {
  if (!url.username && !url.password) return url.toString();
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

export function userinfoAuthorization(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(creds).toString('base64')}`;
}

export function hostOf(hostHeader: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (m) return m[1]!;
  const idx = hostHeader.lastIndexOf(':');
  return idx > 0 && hostHeader.indexOf(':') === idx ? hostHeader.slice(0, idx) : hostHeader;
}

