import { PulseError } from '../../../lib/errors.js';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';
import { AddressError, type ChosenAddress, chooseAddress, type IpFamily, type Lookup } from './address.js';

export class ResolveError extends PulseError {
  constructor(
    message: string,
    readonly lookupSeconds: number,
    options?: ErrorOptions,
  ) {
    super('PULSE_RESOLVE_FAILED', message, options);
    this.name = 'ResolveError';
  }
}

/**
 * The target's address for ping and mtr (blackbox's chooseProtocol, shared with the other
 * probers), worded for these two: every failure names the target, since it is all they resolve.
 */
export async function chooseTargetAddress(
  policy: TargetPolicy | undefined,
  host: string,
  want: IpFamily | 0,
  fallback: boolean,
  signal: AbortSignal,
  lookup?: Lookup,
): Promise<ChosenAddress> {
  try {
    return await chooseAddress(policy, host, want, fallback, signal, lookup);
  } catch (err) {
    if (!(err instanceof AddressError)) throw err;
    throw new ResolveError(targetReason(err, host, want), err.lookupSeconds);
  }
}

function targetReason(err: AddressError, host: string, want: IpFamily | 0): string {
  if (err.literalFamily !== undefined) return `${host} is an IPv${err.literalFamily} address but the module allows only IPv${want}`;
  if (err.failure === 'aborted') return `cannot resolve ${host}: timed out`;
  if (err.failure === 'lookup') return `cannot resolve ${host}: ${describeLookupError(err.cause)}`;
  return `cannot resolve ${host}: no ${want === 0 ? 'IP' : `IPv${want}`} address`;
}

function describeLookupError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOTFOUND') return 'no such host';
  return e.code ? `${e.code} (${e.message})` : e.message;
}
