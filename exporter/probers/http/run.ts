import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { ProbeAborted } from '../shared/abort.js';
import { loadCertParser, tlsInfo } from '../shared/tls-info.js';
import { hasCel } from './cel-check.js';
import { headerValues } from './checks.js';
import type { Connection } from './connect.js';
import { httpDetails } from './details.js';
import type { ResponseHead } from './exchange.js';
import { finish } from './final.js';
import { firstHop, hostOf, hopRecord, nextHop } from './hop.js';
import { httpMetrics } from './metrics.js';
import type { Observation } from './observation.js';
import { headerValue, redirectStep } from './request.js';
import { readBodyFile } from './request-extras.js';
import { dialHop, literalAddress, lookUpAddress, proxyOf, sendRequest } from './round-trip.js';
import { hopSetup } from './setup.js';
import { type HttpTarget, parseEndpoint, parseHttpTarget } from './target.js';
import { sumPhases, type Timeline } from './timeline.js';
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

async function probe(ctx: ProbeContext<'http'>, target: HttpTarget, obs: Observation, stage: (s: string) => void, conns: Connection[], heads: ResponseHead[]): Promise<void> {
  const o = ctx.options;
  const log = ctx.logger;
  const follow = o.no_follow_redirects === undefined ? o.follow_redirects : !o.no_follow_redirects;
  const setup = await hopSetup(o, ctx.signal, stage);
  let proxy = proxyOf(target.url, o, setup.connectHeaders);
  const hostHeader = headerValue(o.headers, 'host');
  const endpoint = o.endpoint ? (parseEndpoint(o.endpoint, target.port) as { host: string; port: number }) : undefined;
  let connectHost = endpoint?.host ?? target.host;
  if (!(o.skip_resolve_phase_with_proxy && proxy)) {
    stage(`resolving ${connectHost}`);
    log.info('Resolving target address', { target: connectHost, ip_protocol: o.preferred_ip_protocol });
    const started = performance.now();
    try {
      // IP literals need no lookup, and so no promise.
      const chosen = literalAddress(ctx, connectHost) ?? (await lookUpAddress(ctx, connectHost));
      obs.resolution = { lookupSeconds: chosen.lookupSeconds, address: chosen.address, family: chosen.family };
      connectHost = chosen.address;
      log.info('Resolved target address', { target: endpoint?.host ?? target.host, ip: chosen.address });
    } catch (err) {
      obs.resolution = { lookupSeconds: (performance.now() - started) / 1000 };
      throw err;
    }
  }
  let hop = firstHop(o, target, hostHeader, connectHost, endpoint?.port ?? target.port);
  if (o.body) hop.body = Buffer.from(o.body);
  else if (o.body_file) hop.body = await readBodyFile(o.body_file);
  // The virtual host the connection stands for: requests to it go to the endpoint (curl's --connect-to).
  const vhost = { host: hostHeader ? hostOf(hostHeader) : target.host, port: target.port, connectHost, connectPort: hop.connectPort, serverName: hop.serverName };

  for (let i = 0; ; i++) {
    // Before the timeline starts: the first https probe loads the certificate parser.
    if (hop.url.protocol === 'https:') await loadCertParser();
    const timeline: Timeline = { start: performance.now() };
    obs.timelines.push(timeline);
    if (i > 0) proxy = proxyOf(hop.url, o, setup.connectHeaders);
    // Through a proxy, a new host is the proxy's to resolve, as with Go's transport.
    if (hop.needsResolve && !proxy) {
      stage(`resolving ${hop.connectHost}`);
      hop.connectHost = (await lookUpAddress(ctx, hop.connectHost)).address;
    }
    timeline.dnsDone = performance.now();
    const record = hopRecord(hop, proxy);
    obs.hops.push(record);
    log.info('Making HTTP request', { url: record.url, host: hop.authority, connect: record.connected_to });
    const conn = await dialHop(ctx, setup, hop, proxy, timeline, stage);
    conns.push(conn);
    stage(`waiting for the response headers from ${hop.url.origin}`);
    const head = await sendRequest(ctx, setup, conn, hop, proxy, timeline);
    heads.push(head);
    // Read while the connection is surely open: with Connection: close it may be gone after the wait.
    const tlsState = conn.tlsSocket ? tlsInfo(conn.tlsSocket, o.tls_config?.insecure_skip_verify) : undefined;
    // The rest of the round trip (body, checks, rendering) waits for the loop's check phase, so
    // other sockets ready in this poll phase get their first-byte marks now, not after this probe's work.
    await checkPhase();
    record.status = head.status;
    log.info('Received HTTP response', { status_code: head.status });
    setup.jar.store(hop.url.hostname, headerValues(head.headers, 'set-cookie'));

    const location = headerValues(head.headers, 'location')[0];
    const step = redirectStep(head.status, location, hop.url, hop.method);
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
    }
    // A redirect not followed ends the probe without reading its body, as Go's client does.
    await finish(ctx, obs, hop, head, tlsState, timeline, step !== undefined, stage);
    return;
  }
}

function checkPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function relative(t: Timeline): Record<string, number | null> {
  const rel = (v: number | undefined) => (v === undefined ? null : Number(((v - t.start) / 1000).toFixed(6)));
  return { dnsDone: rel(t.dnsDone), connectDone: rel(t.connectDone), tlsDone: rel(t.tlsDone), responseStart: rel(t.responseStart), end: rel(t.end) };
}
