import { PulseError } from '../../lib/errors.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TargetPolicy } from './policy.js';

/** A refused target: the probe fails with this reason (a `failed` row), it is not retried. */
export class PolicyError extends PulseError {
  constructor(reason: string) {
    super('PULSE_TARGET_FORBIDDEN', `target not allowed by policy: ${reason}`);
    this.name = 'PolicyError';
  }
}

/**
 * The policy of the probe running now. Set once around each probe (exporter/probe.ts), read where
 * every prober resolves (probers/shared/address.ts) and connects: a prober added later is covered
 * as soon as it resolves through chooseAddress, without being handed the policy.
 */
const current = new AsyncLocalStorage<TargetPolicy>();

export function runWithPolicy<T>(policy: TargetPolicy | undefined, fn: () => Promise<T>): Promise<T> {
  return policy ? current.run(policy, fn) : fn();
}

/** Throws PolicyError when the name may not be probed at all (before resolving it). */
export function enforceName(host: string): void {
  const why = current.getStore()?.checkName(host);
  if (why) throw new PolicyError(why);
}

/** Throws PolicyError when the address a name resolved to (or a literal) may not be probed. */
export function enforceAddress(host: string, address: string): void {
  const why = current.getStore()?.checkAddress(host, address);
  if (why) throw new PolicyError(why);
}

/** Throws PolicyError when the address and port about to be connected to may not be. */
export function enforceConnect(address: string, port: number): void {
  const policy = current.getStore();
  if (!policy) return;
  const why = policy.checkAddress(address, address) ?? policy.checkPort(address, port);
  if (why) throw new PolicyError(why);
}
