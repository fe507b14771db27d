import type { TargetPolicy } from '../../../lib/probe/target-policy.js';
import { AddressError, type ChosenAddress, chooseAddress, familyOf } from '../shared/address.js';

/**
 * The resolver's own address (blackbox's chooseProtocol, shared with the other probers), with the
 * dns prober's wording: what is being resolved here is the resolver, not the query name.
 */
export async function chooseResolverAddress(
  policy: TargetPolicy | undefined,
  host: string,
  preferred: 'ip4' | 'ip6',
  fallback: boolean,
  signal: AbortSignal,
): Promise<ChosenAddress> {
  try {
    return await chooseAddress(policy, host, familyOf(preferred), fallback, signal);
  } catch (err) {
    if (!(err instanceof AddressError)) throw err;
    if (err.failure === 'aborted') throw new Error('timed out resolving the resolver address');
    if (err.failure === 'lookup') throw new Error(`resolving the resolver address: ${err.message}`);
    throw new Error(`no ${preferred} address for "${host}"${fallback ? '' : ' (ip_protocol_fallback is off)'}`);
  }
}
