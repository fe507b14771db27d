import type { MtrDetails } from '../../../lib/probers/details/mtr.js';
import type { MtrOptions } from '../../../lib/config/probers/mtr.js';
import { parseDuration } from '../../../lib/duration.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { resolutionMetrics } from '../shared/resolution-metrics.js';
import { chooseTargetAddress, ResolveError } from '../shared/target-address.js';
import { buildMtrArgs } from './args.js';
import { type Hop, pathHash, summarizePath } from './hops.js';
import type { SharedExclusiveLock } from './lock.js';
import { mtrMetrics } from './metrics.js';
import { parseMtrRaw } from './parse.js';
import { mtrFailureReason, runMtr } from './mtr-process.js';
import type { Lookup } from '../shared/address.js';
import type { ToolCommand } from '../shared/command.js';
import { ipHash } from '../shared/ip-hash.js';
import type { ToolRun } from '../shared/run-tool.js';

const MIN_GRACE_SECONDS = 0.1;

/** Longest wait for the last cycle's replies (mtr's own default is 5s; far hops answer sooner). */
const MAX_GRACE_SECONDS = 2;

export async function probeMtr(ctx: ProbeContext<'mtr'>, mtr: ToolCommand, lookup: Lookup, lock: SharedExclusiveLock): Promise<ProbeResult> {
  const started = performance.now();
  const opts = ctx.options as MtrOptions;
  const metrics = new MetricSet();
  const details: MtrDetails = { target: ctx.target, protocol: opts.protocol };
  if (opts.port !== undefined && opts.protocol !== 'icmp') details.port = opts.port;
  const fail = (reason: string): ProbeResult => {
    ctx.logger.error(reason);
    return { success: false, reason, metrics, details };
  };

  let resolved: Awaited<ReturnType<typeof chooseTargetAddress>>;
  try {
    resolved = await chooseTargetAddress(ctx.policy, ctx.target, opts.ip_version ?? 0, false, ctx.signal, lookup);
  } catch (err) {
    resolutionMetrics(metrics, { lookupSeconds: err instanceof ResolveError ? err.lookupSeconds : 0 });
    return fail((err as Error).message);
  }
  resolutionMetrics(metrics, { lookupSeconds: resolved.lookupSeconds, family: resolved.family, hash: ipHash(resolved.address) });
  Object.assign(details, { address: resolved.address, ip_version: resolved.family });
  ctx.logger.info('Resolved target address', { ip: resolved.address });

  let release: () => void;
  try {
    release = await lock.acquire(opts.protocol === 'tcp' ? 'exclusive' : 'shared', ctx.signal);
  } catch {
    return fail(
      `the probe timed out waiting for other mtr traces to finish: a tcp trace runs alone, because mtr 0.95 ` +
        'cannot tell the replies of concurrent TCP traces apart',
    );
  }
  let run: ToolRun;
  try {
    const timing = planTiming(opts, ctx.timeoutSeconds, (performance.now() - started) / 1000);
    if ('reason' in timing) return fail(timing.reason);
    const { interval, grace, budget } = timing;
    const args = buildMtrArgs(opts, resolved.address, resolved.family, interval, grace);
    ctx.logger.debug('Running mtr', { args });
    run = await runMtr(mtr, args, budget, ctx.signal);
  } finally {
    release();
  }
  if (run.missing) return fail(`${mtr.file} not found: install mtr-tiny (Debian) for the mtr prober`);
  const raw = parseMtrRaw(run.stdout);
  if (raw.length === 0) {
    if (run.interrupted) return fail(`mtr sent nothing before the probe's ${ctx.timeoutSeconds}s timeout`);
    return fail(mtrFailureReason(run.stderr, run.exitCode));
  }
  if (run.interrupted) ctx.logger.warn('mtr was stopped before finishing its cycles; hops show what arrived');

  const path = summarizePath(raw, resolved.address);
  mtrMetrics(metrics, path);
  Object.assign(details, {
    packets: opts.packets,
    interval_seconds: parseDuration(opts.interval),
    destination_reached: path.destination_reached,
    hop_count: path.hops.length,
    path_hash: pathHash(path.hops),
    hops: path.hops,
  });
  for (const h of path.hops) ctx.logger.debug('Hop', { hop: h.hop, ip: h.ip, sent: h.sent, received: h.received });

  if (!path.destination_reached) return fail(unreachedReason(path.hops, resolved.address, opts.max_hops, run.interrupted));
  ctx.logger.info('Destination reached', { hops: path.hops.length });
  return { success: true, metrics, details };
}

/**
 * How long mtr may run: its cycles, then a grace for the last replies, within what is left of the
 * probe's timeout after `elapsed` seconds; a reason when the cycles alone do not fit.
 */
function planTiming(opts: MtrOptions, timeoutSeconds: number, elapsed: number): { interval: number; grace: number; budget: number } | { reason: string } {
  const interval = parseDuration(opts.interval);
  const cycles = Number((opts.packets * interval).toFixed(3));
  // Leave room before the probe's deadline for mtr to exit and for the answer to be rendered.
  const budget = timeoutSeconds - elapsed - Math.min(0.5, timeoutSeconds * 0.1);
  if (cycles + MIN_GRACE_SECONDS > budget) {
    return {
      reason:
        `${opts.packets} packets at ${opts.interval} intervals take ${cycles}s, but only ${budget.toFixed(3)}s of the ` +
        `${timeoutSeconds}s probe timeout is left: lower packets or interval, or raise the module's timeout`,
    };
  }
  return { interval, grace: Math.min(MAX_GRACE_SECONDS, Number((budget - cycles).toFixed(3))), budget };
}

/** Why a trace that never reached `address` failed: the last hop that answered, if any did. */
function unreachedReason(hops: readonly Hop[], address: string, maxHops: number, interrupted: boolean): string {
  const last = hops.filter((h) => h.received > 0).at(-1);
  const cut = interrupted ? ' (mtr was stopped by the probe timeout)' : '';
  return last
    ? `${address} did not answer within ${maxHops} hops; the last hop that answered is ${last.ip} (hop ${last.hop})${cut}`
    : `no hop answered on the way to ${address}${cut}`;
}
