import type { HttpOptions } from '../../../lib/config/probers/http.js';
import type { ProbeContext } from '../../../lib/probe/types.js';
import { pulseVersion } from '../../../lib/version.js';
import { type ChosenAddress, chooseAddress, chooseLiteralAddress, familyOf } from '../shared/address.js';
import { type ProxyParams, proxyParams } from '../shared/proxy-tunnel.js';
import { type Connection, dial } from './connect.js';
import { proxyFor } from './env-proxy.js';
import { exchange, type ResponseHead } from './exchange.js';
import { type Hop, userinfoAuthorization } from './hop.js';
import { requestHeaders } from './request.js';
import type { HopSetup } from './setup.js';
import { joinHostPort } from '../shared/host-port.js';
import type { Timeline } from './timeline.js';

/** The proxy a URL goes through (proxy_url, or the environment's when proxy_from_environment). */
export function proxyOf(url: URL, o: HttpOptions, connectHeaders: [string, string][]): ProxyParams | undefined {
  const p = proxyFor(url, o, process.env);
  return p ? proxyParams(p, connectHeaders) : undefined;
}

/** The address of an IP-literal host, without a lookup (and so without a promise); undefined for a name. */
export function literalAddress(ctx: ProbeContext<'http'>, host: string): ChosenAddress | undefined {
  const o = ctx.options;
  return chooseLiteralAddress(ctx.policy, host, familyOf(o.preferred_ip_protocol), o.ip_protocol_fallback);
}

/** A name's address, by the module's preferred_ip_protocol and fallback. */
export function lookUpAddress(ctx: ProbeContext<'http'>, host: string): Promise<ChosenAddress> {
  const o = ctx.options;
  return chooseAddress(ctx.policy, host, familyOf(o.preferred_ip_protocol), o.ip_protocol_fallback, ctx.signal);
}

/** Opens the hop's connection. Not async: the caller awaits dial's own promise, no second one. */
export function dialHop(ctx: ProbeContext<'http'>, setup: HopSetup, hop: Hop, proxy: ProxyParams | undefined, timeline: Timeline, stage: (s: string) => void): Promise<Connection> {
  const o = ctx.options;
  const tls = hop.url.protocol === 'https:';
  return dial({
    host: hop.connectHost,
    port: hop.connectPort,
    ...(tls ? { tls: { ...setup.tlsBase, serverName: hop.serverName, alpn: o.enable_http2 ? ['h2', 'http/1.1'] : ['http/1.1'] } } : {}),
    ...(proxy ? { proxy } : {}),
    signal: ctx.signal,
    policy: ctx.policy,
    timeline,
    stage,
  });
}

/** Sends the hop's request on its connection; resolves with the response head. Not async, as dialHop. */
export function sendRequest(ctx: ProbeContext<'http'>, setup: HopSetup, conn: Connection, hop: Hop, proxy: ProxyParams | undefined, timeline: Timeline): Promise<ResponseHead> {
  const o = ctx.options;
  const tls = hop.url.protocol === 'https:';
  // Go's client turns credentials in the URL into Basic auth when nothing else sets Authorization.
  const auth = setup.authorization ?? userinfoAuthorization(hop.url);
  const cookie = setup.jar.header(hop.url.hostname);
  const headers = requestHeaders({
    configured: o.headers,
    extra: setup.extraHeaders,
    ...(auth ? { authorization: auth } : {}),
    userAgent: `Pulse/${pulseVersion()}`,
    compression: o.compression,
    ...(cookie ? { cookie } : {}),
    ...(hop.referer ? { referer: hop.referer } : {}),
    crossHost: hop.crossHost,
  });
  // Through a plain HTTP proxy the request line carries the absolute URL, to the address we chose.
  const path = proxy && !tls ? `http://${joinHostPort(hop.connectHost, hop.connectPort)}${hop.url.pathname}${hop.url.search}` : `${hop.url.pathname}${hop.url.search}`;
  if (proxy && !tls && proxy.authorization) headers.push(['Proxy-Authorization', proxy.authorization]);
  return exchange(conn, { method: hop.method, path, authority: hop.authority, headers, ...(hop.body ? { body: hop.body } : {}) }, ctx.signal, timeline);
}
