import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { pulseVersion } from '../../../lib/version.js';
import { ProbeAborted } from '../shared/abort.js';
import { type ChosenAddress, chooseAddress, chooseLiteralAddress, familyOf } from '../shared/address.js';
import { readBody } from './body.js';
import {
  bodyMatch,
  bodyReason,
  contentLength,
  headerReason,
  headerValues,
  parseByteSize,
  parseHttpDate,
  statusReason,
  versionReason,
} from './checks.js';
import { type Connection, dial } from './connect.js';
import { proxyParams, tlsOptions } from './dial-options.js';
import { httpDetails } from './details.js';
import { exchange, type ResponseHead } from './exchange.js';
import { displayUrl, type Hop, hostOf, nextHop, userinfoAuthorization } from './hop.js';
import { httpMetrics } from './metrics.js';
import type { Observation } from './observation.js';
import { authorization as authorizationOf, CookieJar, headerValue, redirectStep, requestHeaders } from './request.js';
import { type HttpTarget, joinHostPort, parseEndpoint, parseHttpTarget } from './target.js';
import { sumPhases, type Timeline } from './timeline.js';
import { loadCertParser, tlsInfo } from '../shared/tls-info.js';
import { celReason, hasCel } from './cel-check.js';
import { proxyFor } from './env-proxy.js';
import { httpHeaderLines } from './extra-headers.js';
import { oauth2OrAuthorization } from './authorization.js';
import { proxyConnectHeaders, readBodyFile } from './request-extras.js';

/** Go's client gives up after 10 redirects; the 11th is reported, not followed. */
const MAX_REDIRECTS = 10;

export async function runHttp(ctx: ProbeContext<'http'>): Promise<ProbeResult> {
  const o = ctx.options;
  const log = ctx.logger;
  const target = parseHttpTarget(ctx.target) as HttpTarget;
  const obs: Observation = { timelines: [], hops: [], redirects: 0, failedDueToRegex: false };
  if (hasCel(o)) obs.failedDueToCel = false;
  let stage = 'starting';
  const setStage = (s: string) => {
    stage = s;
  };
  const conns: Connection[] = [];
  const heads: ResponseHead[] = [];
  try {
    await probe(ctx, target, obs, setStage, conns, heads);
  } catch (err) {
    if (err instanceof ProbeAborted || ctx.signal.aborted) obs.reason = `timed out after ${ctx.timeoutSeconds}s while ${stage}`;
    else obs.reason = `${stage}: ${(err as Error).message}`;
    log.error('Error for HTTP request', { err: obs.reason });
  } finally {
    for (const h of heads) h.close();
    for (const c of conns) c.socket.destroy();
  }
  const phases = sumPhases(obs.timelines, obs.resolution?.lookupSeconds ?? 0);
  if (!ctx.metricsOnly) for (const [i, t] of obs.timelines.entries()) log.debug('Response timings for roundtrip', { roundtrip: i, ...relative(t) });
  const result: ProbeResult = {
    success: obs.reason === undefined,
    metrics: httpMetrics(obs, phases),
    // A plain /probe scrape renders only the metrics.
    details: ctx.metricsOnly ? {} : httpDetails(obs, phases, o),
  };
  if (obs.reason !== undefined) result.reason = obs.reason;
  return result;
}

async function probe(
  ctx: ProbeContext<'http'>,
  target: HttpTarget,
  obs: Observation,
  stage: (s: string) => void,
  conns: Connection[],
  heads: ResponseHead[],
): Promise<void> {
  const o = ctx.options;
  const log = ctx.logger;
  const follow = o.no_follow_redirects === undefined ? o.follow_redirects : !o.no_follow_redirects;
  const proxyOf = (url: URL) => {
    const p = proxyFor(url, o, process.env);
    return p ? proxyParams(p, connectHeaders) : undefined;
  };
  const connectHeaders = proxyConnectHeaders(o.proxy_connect_header);
  let proxy = proxyOf(target.url);
  const hostHeader = headerValue(o.headers, 'host');
  const endpoint = o.endpoint ? (parseEndpoint(o.endpoint, target.port) as { host: string; port: number }) : undefined;
  // Promises (and their awaits) only when files must be read.
  const tlsPending = tlsOptions(o);
  const tlsBase = tlsPending instanceof Promise ? await tlsPending : tlsPending;
  const authPending = authorizationOf(o);
  const authorization = await oauth2OrAuthorization(o, authPending, ctx.signal, stage);
  const extraPending = httpHeaderLines(o.http_headers);
  const extraHeaders = extraPending instanceof Promise ? await extraPending : extraPending;
  const jar = new CookieJar();

  let connectHost = endpoint?.host ?? target.host;
  if (!(o.skip_resolve_phase_with_proxy && proxy)) {
    stage(`resolving ${connectHost}`);
    log.info('Resolving target address', { target: connectHost, ip_protocol: o.preferred_ip_protocol });
    const started = performance.now();
    try {
      const want = familyOf(o.preferred_ip_protocol);
      // IP literals need no lookup, and so no promise.
      const chosen: ChosenAddress =
        chooseLiteralAddress(connectHost, want, o.ip_protocol_fallback) ?? (await chooseAddress(connectHost, want, o.ip_protocol_fallback, ctx.signal));
      obs.resolution = { lookupSeconds: chosen.lookupSeconds, address: chosen.address, family: chosen.family };
      connectHost = chosen.address;
      log.info('Resolved target address', { target: endpoint?.host ?? target.host, ip: chosen.address });
    } catch (err) {
      obs.resolution = { lookupSeconds: (performance.now() - started) / 1000 };
      throw err;
    }
  }
  const connectPort = endpoint?.port ?? target.port;

  let hop: Hop = {
    url: target.url,
    method: o.method,
    authority: hostHeader ?? target.url.host,
    serverName: o.tls_config?.server_name || (hostHeader ? hostOf(hostHeader) : target.host),
    connectHost,
    connectPort,
    needsResolve: false,
    crossHost: false,
  };
  if (o.body) hop.body = Buffer.from(o.body);
  else if (o.body_file) hop.body = await readBodyFile(o.body_file);
  // The virtual host the connection stands for: requests to it go to the endpoint (curl's --connect-to).
  const vhost = { host: hostHeader ? hostOf(hostHeader) : target.host, port: target.port, connectHost, connectPort, serverName: hop.serverName };

  for (let i = 0; ; i++) {
    // Before the timeline starts: the first https probe loads the certificate parser.
    if (hop.url.protocol === 'https:') await loadCertParser();
    const timeline: Timeline = { start: performance.now() };
    obs.timelines.push(timeline);
    if (i > 0) proxy = proxyOf(hop.url);
    // Through a proxy, a new host is the proxy's to resolve, as with Go's transport.
    if (hop.needsResolve && !proxy) {
      stage(`resolving ${hop.connectHost}`);
      hop.connectHost = (await chooseAddress(hop.connectHost, familyOf(o.preferred_ip_protocol), o.ip_protocol_fallback, ctx.signal)).address;
    }
    timeline.dnsDone = performance.now();
    const tls = hop.url.protocol === 'https:';
    const record = { url: displayUrl(hop.url), method: hop.method, connected_to: joinHostPort(hop.connectHost, hop.connectPort) } as Observation['hops'][number];
    if (proxy) record.via_proxy = joinHostPort(proxy.host, proxy.port);
    obs.hops.push(record);
    log.info('Making HTTP request', { url: record.url, host: hop.authority, connect: record.connected_to });

    const conn = await dial({
      host: hop.connectHost,
      port: hop.connectPort,
      ...(tls ? { tls: { ...tlsBase, serverName: hop.serverName, alpn: o.enable_http2 ? ['h2', 'http/1.1'] : ['http/1.1'] } } : {}),
      ...(proxy ? { proxy } : {}),
      signal: ctx.signal,
      timeline,
      stage,
    });
    conns.push(conn);
    // Go's client turns credentials in the URL into Basic auth when nothing else sets Authorization.
    const auth = authorization ?? userinfoAuthorization(hop.url);
    const cookie = jar.header(hop.url.hostname);
    const headers = requestHeaders({
      configured: o.headers,
      extra: extraHeaders,
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
    stage(`waiting for the response headers from ${hop.url.origin}`);
    const head = await exchange(conn, { method: hop.method, path, authority: hop.authority, headers, ...(hop.body ? { body: hop.body } : {}) }, ctx.signal, timeline);
    heads.push(head);
    // Read while the connection is surely open: with Connection: close it may be gone after the wait.
    const tlsState = conn.tlsSocket ? tlsInfo(conn.tlsSocket, o.tls_config?.insecure_skip_verify) : undefined;
    // The rest of the round trip (body, checks, rendering) waits for the loop's check phase, so
    // other sockets ready in this poll phase get their first-byte marks now, not after this probe's work.
    await checkPhase();
    record.status = head.status;
    log.info('Received HTTP response', { status_code: head.status });
    jar.store(hop.url.hostname, headerValues(head.headers, 'set-cookie'));

    const location = headerValues(head.headers, 'location')[0];
    const step = redirectStep(head.status, location, hop.url, hop.method);
    let requestErrored = false;
    if (step) {
      record.location = location!;
      log.info('Received redirect', { location });
      obs.redirects = i + 1;
      if (follow && obs.redirects <= MAX_REDIRECTS) {
        head.close();
        hop = nextHop(hop, step, vhost);
        continue;
      }
      log.info('Not following redirect');
      requestErrored = true;
    }
    await finish(ctx, obs, hop, head, tlsState, timeline, requestErrored, stage);
    return;
  }
}

/** The final response: blackbox's checks, in blackbox's order. */
async function finish(
  ctx: ProbeContext<'http'>,
  obs: Observation,
  hop: Hop,
  head: ResponseHead,
  tls: ReturnType<typeof tlsInfo> | undefined,
  timeline: Timeline,
  requestErrored: boolean,
  stage: (s: string) => void,
): Promise<void> {
  const o = ctx.options;
  const log = ctx.logger;
  const fail = (reason: string | undefined) => {
    if (reason === undefined) return;
    log.error(reason);
    obs.reason ??= reason;
  };
  const final: Observation['final'] & object = {
    url: displayUrl(hop.url),
    status: head.status,
    version: head.version,
    headers: head.headers,
    contentLength: contentLength(head.status, hop.method, head.headers),
    bodyBytes: 0,
    bodyRead: false,
  };
  if (tls) final.tls = tls;
  obs.final = final;

  fail(statusReason(head.status, o.valid_status_codes));
  if (obs.reason === undefined && (o.fail_if_header_matches.length > 0 || o.fail_if_header_not_matches.length > 0)) {
    const r = headerReason(head.headers, o.fail_if_header_matches, o.fail_if_header_not_matches);
    obs.failedDueToRegex = r !== undefined;
    fail(r);
  }
  const wantsRegex = o.fail_if_body_matches_regexp.length > 0 || o.fail_if_body_not_matches_regexp.length > 0;
  const wantsBody = wantsRegex || hasCel(o);
  if (o.headers_only) {
    log.info('headers_only: closing the connection without reading the body');
    head.close();
  } else if (!requestErrored) {
    stage(`reading the response body from ${hop.url.origin}`);
    const collect = obs.reason === undefined && wantsBody;
    const body = await readBody(head.body, { compression: o.compression, limit: parseByteSize(o.body_size_limit), collect, signal: ctx.signal });
    if (body.endedAt !== undefined) timeline.end = body.endedAt;
    final.bodyBytes = body.bytes;
    final.bodyRead = body.error === undefined;
    if (body.error) fail(body.error);
    else if (collect && body.data) {
      const text = body.data.toString('utf8');
      if (wantsRegex) {
        obs.bodyMatch = bodyMatch(text, o.fail_if_body_matches_regexp, o.fail_if_body_not_matches_regexp);
        const r = bodyReason(obs.bodyMatch);
        obs.failedDueToRegex = r !== undefined;
        fail(r);
      }
      // As blackbox: the CEL checks run only when everything before them passed.
      if (hasCel(o) && obs.reason === undefined) {
        const r = celReason(text, o);
        obs.failedDueToCel = r !== undefined;
        fail(r);
      }
    }
  }
  timeline.end ??= performance.now();
  const lastModified = parseHttpDate(headerValues(head.headers, 'last-modified')[0]);
  if (lastModified !== undefined) final.lastModified = lastModified;
  fail(versionReason(head.version, o.valid_http_versions));
  if (final.tls && o.fail_if_ssl) fail('final request was over SSL (fail_if_ssl)');
  if (!final.tls && o.fail_if_not_ssl) fail('final request was not over SSL (fail_if_not_ssl)');
}

function checkPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function relative(t: Timeline): Record<string, number | null> {
  const rel = (v: number | undefined) => (v === undefined ? null : Number(((v - t.start) / 1000).toFixed(6)));
  return { dnsDone: rel(t.dnsDone), connectDone: rel(t.connectDone), tlsDone: rel(t.tlsDone), responseStart: rel(t.responseStart), end: rel(t.end) };
}
