import type { HttpOptions } from '../../../lib/config/probers/http.js';
import type { HopRecord } from './observation.js';
import { type RedirectStep, refererFor } from './request.js';
import type { HttpTarget } from './target.js';
import { joinHostPort, unbracket } from '../shared/host-port.js';

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

/** The probe's first round trip: to the endpoint (or the target's address), with the Host header's name as SNI. */
export function firstHop(o: HttpOptions, target: HttpTarget, hostHeader: string | undefined, connectHost: string, connectPort: number): Hop {
  return {
    url: target.url,
    method: o.method,
    authority: hostHeader ?? target.url.host,
    serverName: o.tls_config?.server_name || (hostHeader ? hostOf(hostHeader) : target.host),
    connectHost,
    connectPort,
    needsResolve: false,
    crossHost: false,
  };
}

/** What the details list for one round trip, before its response comes. */
export function hopRecord(hop: Hop, proxy: { host: string; port: number } | undefined): HopRecord {
  const record: HopRecord = { url: displayUrl(hop.url), method: hop.method, connected_to: joinHostPort(hop.connectHost, hop.connectPort) };
  if (proxy) record.via_proxy = joinHostPort(proxy.host, proxy.port);
  return record;
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

