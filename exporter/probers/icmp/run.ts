import { isIP } from 'node:net';
import type { IcmpOptions } from '../../../lib/config/probers/icmp.js';
import { parseDuration } from '../../../lib/duration.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { IcmpDetails } from '../../../lib/probers/details/icmp.js';
import { buildPingArgs } from './args.js';
import { icmpPacketMetrics, icmpPhaseMetrics } from './metrics.js';
import { resolutionMetrics } from '../shared/resolution-metrics.js';
import { type PingOutput, packetsSent, parsePingOutput, pingFailureReason } from './parse.js';
import { chooseTargetAddress, ResolveError } from '../shared/target-address.js';
import { runPing } from './ping-process.js';
import { lossRatio, type RttStats, roundSeconds, rttStats } from '../shared/rtt-stats.js';
import { familyOf, type Lookup } from '../shared/address.js';
import type { ToolCommand } from '../shared/command.js';
import { ipHash } from '../shared/ip-hash.js';

/** iputils refuses shorter intervals for users without CAP_NET_ADMIN; Pulse refuses them for all. */
const MIN_INTERVAL_SECONDS = 0.002;

export async function probeIcmp(ctx: ProbeContext<'icmp'>, ping: ToolCommand, lookup: Lookup): Promise<ProbeResult> {
  const started = performance.now();
  const opts = ctx.options as IcmpOptions;
  const metrics = new MetricSet();
  const phases: { resolve?: number; setup?: number; rtt?: number } = {};
  const details: Omit<IcmpDetails, 'phases'> = { target: ctx.target };
  const fail = (reason: string): ProbeResult => {
    icmpPhaseMetrics(metrics, phases);
    ctx.logger.error(reason);
    return { success: false, reason, metrics, details: { ...details, phases } };
  };

  ctx.logger.info('Resolving target address', { target: ctx.target, ip_protocol: opts.preferred_ip_protocol });
  const preferred = familyOf(opts.preferred_ip_protocol);
  let resolved: Awaited<ReturnType<typeof chooseTargetAddress>>;
  try {
    resolved = await chooseTargetAddress(ctx.policy, ctx.target, preferred, opts.ip_protocol_fallback, ctx.signal, lookup);
  } catch (err) {
    resolutionMetrics(metrics, { lookupSeconds: err instanceof ResolveError ? err.lookupSeconds : 0 });
    return fail((err as Error).message);
  }
  phases.resolve = resolved.lookupSeconds;
  resolutionMetrics(metrics, { lookupSeconds: resolved.lookupSeconds, family: resolved.family, hash: ipHash(resolved.address) });
  details.address = resolved.address;
  details.ip_protocol = resolved.family;
  ctx.logger.info('Resolved target address', { ip: resolved.address });

  if (opts.source_ip_address !== undefined && isIP(opts.source_ip_address.split('%')[0]!) === 0) {
    return fail(`source_ip_address "${opts.source_ip_address}" is not an IP address`);
  }
  const interval = parseDuration(opts.interval);
  if (opts.packets > 1 && interval < MIN_INTERVAL_SECONDS) {
    return fail(`interval ${opts.interval} is below ping's minimum of 2ms`);
  }
  // Stop ping a little before the probe's deadline so its summary still makes it into the answer.
  const elapsed = (performance.now() - started) / 1000;
  const budget = Math.max(0.001, ctx.timeoutSeconds - elapsed - Math.min(0.5, ctx.timeoutSeconds * 0.1));
  const sending = Number(((opts.packets - 1) * interval).toFixed(3));
  if (opts.packets > 1 && sending >= budget) {
    return fail(
      `${opts.packets} packets at ${opts.interval} intervals need more than ${sending}s, but only ${budget.toFixed(3)}s of the ` +
        `${ctx.timeoutSeconds}s probe timeout is left: lower packets or interval, or raise the module's timeout`,
    );
  }

  const args = buildPingArgs(opts, resolved.address, resolved.family, interval);
  ctx.logger.debug('Running ping', { args });
  const run = await runPing(ping, args, budget, ctx.signal);
  if (run.missing) return fail(`${ping.file} not found: install iputils-ping (Debian) for the icmp prober`);
  const out = parsePingOutput(run.stdout);
  if (!out.started) {
    return fail(pingFailureReason(run.stderr) ?? `ping exited with code ${run.exitCode ?? 'unknown'} before sending`);
  }
  if (run.firstOutputSeconds !== undefined) phases.setup = run.firstOutputSeconds;

  const sent = packetsSent(out);
  const timed = out.replies.filter((r) => Number.isFinite(r.rttSeconds));
  const stats = rttStats(timed.map((r) => r.rttSeconds));
  const lastReply = out.replies.at(-1);
  if (stats) phases.rtt = stats.avg;
  icmpPacketMetrics(metrics, {
    sent,
    received: out.replies.length,
    ...(lastReply ? { hopLimit: lastReply.ttl } : {}),
    ...(stats ? { stats } : {}),
  });
  Object.assign(details, replyDetails(out, sent, stats));
  for (const r of out.replies) ctx.logger.debug('Echo reply', { seq: r.seq, ttl: r.ttl, rtt_seconds: r.rttSeconds });

  if (out.replies.length === 0) return fail(noReplyReason(out, run.stderr, resolved.address, budget, sent));
  icmpPhaseMetrics(metrics, phases);
  ctx.logger.info('Found matching reply packet', { received: out.replies.length, sent });
  return { success: true, metrics, details: { ...details, phases } };
}

/** The details of what came back: counts, loss, RTT statistics, each reply and ICMP error. */
function replyDetails(out: PingOutput, sent: number, stats: RttStats | undefined): Partial<IcmpDetails> {
  return {
    packets_sent: sent,
    packets_received: out.replies.length,
    packet_loss_ratio: lossRatio(sent, out.replies.length),
    duplicates: out.duplicates,
    rtt_seconds: stats
      ? { min: roundSeconds(stats.min), avg: roundSeconds(stats.avg), max: roundSeconds(stats.max), stddev: roundSeconds(stats.stddev) }
      : null,
    reply_hop_limit: out.replies.at(-1)?.ttl ?? null,
    replies: out.replies.map((r) => ({ seq: r.seq, ttl: r.ttl, rtt_seconds: Number.isFinite(r.rttSeconds) ? r.rttSeconds : null })),
    errors: out.errors,
  };
}

/** Why no echo reply came: the first ICMP error a router sent, what ping said, or the wait. */
function noReplyReason(out: PingOutput, stderr: string, address: string, budget: number, sent: number): string {
  const first = out.errors[0];
  if (first) return `no echo reply from ${address}: ${first.message} (from ${first.from}, icmp_seq=${first.seq})`;
  const extra = pingFailureReason(stderr);
  if (extra) return `no echo reply from ${address}: ${extra}`;
  return `no echo reply from ${address} within ${budget.toFixed(1)}s (${sent} sent)`;
}
