import { PulseError } from '../../lib/errors.js';
import type { TargetPolicy } from './policy.js';

/** A refused target: the probe fails with this reason (a `failed` row), it is not retried. */
export class PolicyError extends PulseError {
  constructor(reason: string) {
    super('PULSE_TARGET_FORBIDDEN', `target not allowed by policy: ${reason}`);
    this.name = 'PolicyError';
  }
}

/*
 * The policy is a required argument of every check, and of chooseAddress, through which every
 * prober resolves: a prober that resolves or connects cannot compile without saying which policy
 * applies (the probe's `ctx.policy`; undefined only when target_policy.apply_to_probe is false
 * for a Prometheus scrape). It used to travel in an AsyncLocalStorage, which on Node 20 turns on
 * promise hooks for every promise of the process: 2.2% of the exporter's CPU under load.
 */

/** Throws PolicyError when the name may not be probed at all (before resolving it). */
export function enforceName(policy: TargetPolicy | undefined, host: string): void {
  const why = policy?.checkName(host);
  if (why) throw new PolicyError(why);
}

/** Throws PolicyError when the address a name resolved to (or a literal) may not be probed. */
export function enforceAddress(policy: TargetPolicy | undefined, host: string, address: string): void {
  const why = policy?.checkAddress(host, address);
  if (why) throw new PolicyError(why);
}

/** Throws PolicyError when the address and port about to be connected to may not be. */
export function enforceConnect(policy: TargetPolicy | undefined, address: string, port: number): void {
  if (!policy) return;
  const why = policy.checkAddress(address, address) ?? policy.checkPort(address, port);
  if (why) throw new PolicyError(why);
}
