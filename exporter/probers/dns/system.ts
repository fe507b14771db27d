import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { DnsDetails } from './details.js';
import { DnsMetrics } from './metrics.js';
import { RESOLV_CONF, systemResolvers } from './system-resolvers.js';

export { SYSTEM_RESOLVER } from '../../../lib/system-resolver.js';

/** rcodes after which a stub resolver (glibc's res_send) asks the next nameserver. */
const NEXT_SERVER_RCODES = new Set(['SERVFAIL', 'NOTIMP', 'REFUSED']);

export interface SystemResolverDetails {
  file: string;
  nameservers: string[];
  /** Every nameserver asked, in order, with why it was passed over. */
  tried: Array<{ resolver: string; reason?: string; rcode?: string }>;
  /** The nameserver whose answer the row shows. */
  answered_by?: string;
}

const asTarget = (ns: string): string => (ns.includes(':') ? `[${ns}]` : ns);

/**
 * Asks the host's resolv.conf nameservers the way the host itself would: the first, and the next
 * only when one gives no answer or answers SERVFAIL, NOTIMP or REFUSED. Each nameserver gets an
 * equal share of the time left, so a dead first one cannot use up the whole probe.
 */
export async function runWithSystemResolvers(ctx: ProbeContext<'dns'>, runOne: (ctx: ProbeContext<'dns'>) => Promise<ProbeResult>): Promise<ProbeResult> {
  const started = performance.now();
  const nameservers = systemResolvers();
  const system: SystemResolverDetails = { file: RESOLV_CONF, nameservers, tried: [] };
  if (nameservers.length === 0) {
    const reason = `no nameserver in ${RESOLV_CONF}: this agent has no system resolver to ask`;
    return { success: false, reason, metrics: new DnsMetrics().set, details: { resolver: { target: ctx.target, system } } };
  }
  let last: ProbeResult | undefined;
  for (let i = 0; i < nameservers.length; i++) {
    const ns = nameservers[i]!;
    const left = ctx.timeoutSeconds * 1000 - (performance.now() - started);
    if (left <= 0 || ctx.signal.aborted) break;
    const share = AbortSignal.timeout(Math.max(1, Math.floor(left / (nameservers.length - i))));
    const result = await runOne({ ...ctx, target: asTarget(ns), signal: AbortSignal.any([ctx.signal, share]) });
    last = result;
    const rcode = (result.details as Partial<DnsDetails>).rcode;
    const passOver = !result.success && (rcode === undefined || NEXT_SERVER_RCODES.has(rcode)) && i < nameservers.length - 1;
    if (!passOver) {
      system.tried.push({ resolver: ns, ...(result.success ? {} : { reason: result.reason ?? 'failed' }), ...(rcode ? { rcode } : {}) });
      system.answered_by = rcode !== undefined ? ns : undefined;
      break;
    }
    ctx.logger.info('System resolver gave no usable answer, asking the next one', { resolver: ns, reason: result.reason });
    system.tried.push({ resolver: ns, reason: result.reason ?? 'failed', ...(rcode ? { rcode } : {}) });
  }
  if (!last) return { success: false, reason: 'the probe timed out before a system resolver was asked', metrics: new DnsMetrics().set, details: { resolver: { target: ctx.target, system } } };
  if (system.answered_by === undefined) delete system.answered_by;
  const details = last.details as DnsDetails;
  return { ...last, details: { ...details, resolver: { ...details.resolver, target: ctx.target, system } } };
}
