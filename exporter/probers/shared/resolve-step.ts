import type { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeLogger } from '../../../lib/probe/types.js';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';
import { AddressError, type ChosenAddress, chooseAddress, familyOf } from './address.js';
import { ipHash } from './ip-hash.js';
import { lookupTimeMetric, resolutionMetrics } from './resolution-metrics.js';

/**
 * A prober's resolve step, as blackbox's chooseProtocol leaves it: the address chosen with the
 * resolution series set, or, when the lookup fails, only the lookup time set and the reason.
 */
export async function resolveStep(
  policy: TargetPolicy | undefined,
  metrics: MetricSet,
  host: string,
  o: { preferred_ip_protocol: 'ip4' | 'ip6'; ip_protocol_fallback: boolean },
  signal: AbortSignal,
  logger: ProbeLogger,
): Promise<{ ok: true; chosen: ChosenAddress } | { ok: false; reason: string }> {
  const started = performance.now();
  logger.info('Resolving target address', { target: host, ip_protocol: o.preferred_ip_protocol });
  try {
    const chosen = await chooseAddress(policy, host, familyOf(o.preferred_ip_protocol), o.ip_protocol_fallback, signal);
    resolutionMetrics(metrics, { lookupSeconds: chosen.lookupSeconds, family: chosen.family, hash: ipHash(chosen.address) });
    logger.info('Resolved target address', { target: host, ip: chosen.address });
    return { ok: true, chosen };
  } catch (err) {
    lookupTimeMetric(metrics, (performance.now() - started) / 1000);
    logger.error('Error resolving address', { err: (err as Error).message });
    return { ok: false, reason: err instanceof AddressError && err.failure === 'aborted' ? `timed out resolving ${host}` : (err as Error).message };
  }
}
