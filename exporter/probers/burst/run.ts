import { setMaxListeners } from 'node:events';
import { isIP } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { burstLimitError, effectiveRate } from '../../../lib/config/burst-limits.js';
import type { BurstOptions } from '../../../lib/config/probers/burst.js';
import { parseDuration } from '../../../lib/duration.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { BurstDetails } from '../../../lib/probers/details/burst.js';
import { proxyParams } from '../shared/proxy-tunnel.js';
import { AddressError, chooseAddress, familyOf } from '../shared/address.js';
import { ipHash } from '../shared/ip-hash.js';
import { lookupTimeMetric, resolutionMetrics } from '../shared/resolution-metrics.js';
import { tlsClientOptions } from '../shared/tls-options.js';
import { parseTcpTarget } from '../shared/host-port.js';
import { type AttemptPlan, type AttemptRecord, runAttempt } from './attempt.js';
import { burstMetrics } from './metrics.js';
import { runSchedule, SocketTracker } from './schedule.js';
import { enforceConnect } from '../../policy/enforce.js';
import { summarize } from './summary.js';

/** Attempts listed one by one in the details; the summary and histogram cover all of them. */
export const MAX_LISTED_ATTEMPTS = 10_000;

/** The burst prober: N connections to host:port, timed one by one, summarised as quantiles. */
export async function runBurst(ctx: ProbeContext<'burst'>): Promise<ProbeResult> {
  const { options: o, logger } = ctx;
  // One signal of our own for the attempts: each worker listens to it, more than the default 10.
  const inner = new AbortController();
  const signal = inner.signal;
  setMaxListeners(o.concurrency * 2 + 8, signal);
  const forward = () => inner.abort();
  if (ctx.signal.aborted) inner.abort();
  else ctx.signal.addEventListener('abort', forward, { once: true });
  try {
    return await burstOn({ ...ctx, signal }, logger);
  } finally {
    ctx.signal.removeEventListener('abort', forward);
  }
}

async function burstOn(ctx: ProbeContext<'burst'>, logger: ProbeContext['logger']): Promise<ProbeResult> {
  const { options: o, signal } = ctx;
  const stallThreshold = parseDuration(o.stall_threshold);
  const metrics = burstMetrics(undefined, stallThreshold, 0);
  const details: BurstDetails = {};
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });
  const refused = burstLimitError(o, ctx.exporter.burst);
  if (refused) return fail(refused);
  if (o.source_ip_address !== undefined && isIP(o.source_ip_address) === 0) return fail(`source_ip_address "${o.source_ip_address}" is not an IP address`);
  const { host, port } = parseTcpTarget(ctx.target);
  Object.assign(details, { host, port });

  let plan: AttemptPlan;
  try {
    plan = await planFor(ctx, host, port, metrics, details);
  } catch (err) {
    logger.error('Cannot start the burst', { err: (err as Error).message });
    return fail(err instanceof AddressError && err.failure === 'aborted' ? `timed out resolving ${host}` : (err as Error).message);
  }
  const rate = effectiveRate(o, ctx.exporter.burst);
  details.plan = { connections: o.connections, concurrency: o.concurrency, rate, stall_threshold: stallThreshold };
  logger.info('Starting burst', { connections: o.connections, concurrency: o.concurrency, rate });

  const tracker = new SocketTracker();
  const closeAll = () => tracker.destroyAll();
  signal.addEventListener('abort', closeAll, { once: true });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const span = o.source_ports ? o.source_ports.last - o.source_ports.first + 1 : 0;
  let records: AttemptRecord[];
  try {
    records = await runSchedule({ count: o.connections, concurrency: o.concurrency, rate }, signal, (n) =>
      runAttempt(n, plan, started, signal, o.source_ports ? o.source_ports.first + (n % span) : undefined, tracker.track),
    );
  } finally {
    loop.disable();
    signal.removeEventListener('abort', closeAll);
    tracker.destroyAll();
  }
  // The histogram's max is in nanoseconds; its resolution (10 ms) is subtracted by Node already.
  const loopDelayMax = Number.isFinite(loop.max) ? loop.max / 1e9 : 0;
  const summary = summarize(records, stallThreshold);
  metrics.merge(burstMetrics(summary, stallThreshold, loopDelayMax));
  details.summary = summary;
  details.event_loop_delay_max_seconds = loopDelayMax;
  details.duration_seconds = (performance.now() - started) / 1000;
  if (!ctx.metricsOnly) details.attempts = records.slice(0, MAX_LISTED_ATTEMPTS);
  logger.info('Burst done', { attempts: summary.attempts, succeeded: summary.succeeded, stalled: summary.stalled });
  if (records.length < o.connections) return fail(`timed out after ${records.length} of ${o.connections} connections`);
  const failed = summary.attempts - summary.succeeded;
  if (failed > 0) {
    const kinds = Object.entries(summary.failures)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    return fail(`${failed} of ${summary.attempts} connections failed (${kinds})`);
  }
  return { success: true, metrics, details };
}

/** Resolves the target (or the proxy) and builds what every attempt needs. */
async function planFor(ctx: ProbeContext<'burst'>, host: string, port: number, metrics: ProbeResult['metrics'], details: BurstDetails): Promise<AttemptPlan> {
  const o: BurstOptions = ctx.options;
  const attemptTimeoutMs = Math.max(1, Math.round(parseDuration(o.attempt_timeout) * 1000));
  const tls = o.tls ? await tlsClientOptions(o.tls_config, host) : undefined;
  const request = o.request ? requestText(o, host, port) : undefined;
  const common = { port, tunnelHost: host, attemptTimeoutMs, policy: ctx.policy, ...(tls ? { tls } : {}), ...(request !== undefined ? { request } : {}) };
  if (o.proxy_url) {
    // Through a proxy the proxy resolves the target, as the http prober does without a resolve phase.
    const proxy = proxyParams(new URL(o.proxy_url));
    details.proxy = `${proxy.host}:${proxy.port}`;
    return { ...common, address: host, family: isIP(host) === 6 ? 6 : 4, proxy };
  }
  const resolveStarted = performance.now();
  try {
    const chosen = await chooseAddress(ctx.policy, host, familyOf(o.preferred_ip_protocol), o.ip_protocol_fallback, ctx.signal);
    resolutionMetrics(metrics, { lookupSeconds: chosen.lookupSeconds, family: chosen.family, hash: ipHash(chosen.address) });
    details.ip = chosen.address;
    // The port too: the agent's own ports on loopback are refused before the first attempt.
    enforceConnect(ctx.policy, chosen.address, common.port);
    return { ...common, address: chosen.address, family: chosen.family, ...(o.source_ip_address ? { localAddress: o.source_ip_address } : {}) };
  } catch (err) {
    lookupTimeMetric(metrics, (performance.now() - resolveStarted) / 1000);
    throw err;
  }
}

function requestText(o: BurstOptions, host: string, port: number): string {
  const r = o.request!;
  const authority = r.host ?? (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`);
  return `${r.method} ${r.path} HTTP/1.1\r\nHost: ${authority}\r\nUser-Agent: Pulse burst\r\nConnection: close\r\n\r\n`;
}
