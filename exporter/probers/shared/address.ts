import { PulseError } from '../../../lib/errors.js';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';
import { enforceAddress, enforceName } from '../../policy/enforce.js';
import { abortable, ProbeAborted } from './abort.js';
import { stripZone } from './ip-hash.js';

export type IpFamily = 4 | 6;

/** A module's preferred_ip_protocol as an address family. */
export function familyOf(protocol: 'ip4' | 'ip6'): IpFamily {
  return protocol === 'ip4' ? 4 : 6;
}

export interface LookupAddress {
  address: string;
  family: number;
}

/** Every address of a name, in the resolver's order. */
export type Lookup = (host: string) => Promise<LookupAddress[]>;

/**
 * getaddrinfo, so /etc/hosts counts as with Go's resolver. All families are asked for even when
 * only one will do, so that "the name has no IPv6 address" can be told apart from "no such name".
 */
export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, order: 'verbatim' });

export interface ChosenAddress {
  address: string;
  family: IpFamily;
  lookupSeconds: number;
}

/** Why no address was chosen. The message is the http and tcp probers' wording; others reword it. */
export class AddressError extends PulseError {
  constructor(
    readonly failure: 'aborted' | 'lookup' | 'no-address',
    message: string,
    readonly lookupSeconds: number,
    /** The target was an IP literal of this family (and it was not acceptable). */
    readonly literalFamily?: IpFamily,
    options?: ErrorOptions,
  ) {
    super(failure === 'aborted' ? 'PULSE_PROBE_TIMEOUT' : 'PULSE_RESOLVE_FAILED', message, options);
    this.name = 'AddressError';
  }
}

/**
 * blackbox_exporter's chooseProtocol, which all its probers share (http, tcp, icmp, and dns for the
 * resolver's address): an address of the wanted family, else with fallback one of the other family.
 * IP literals stand for themselves. `want` 0 is Pulse's own "no preference" (the mtr prober): the
 * resolver's first answer, as mtr itself would pick. The policy is the probe's (`ctx.policy`):
 * the name and the address chosen are checked against it.
 */
export async function chooseAddress(
  policy: TargetPolicy | undefined,
  host: string,
  want: IpFamily | 0,
  fallback: boolean,
  signal: AbortSignal,
  lookup: Lookup = systemLookup,
): Promise<ChosenAddress> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const literal = isIP(stripZone(host));
  if (literal !== 0) return chooseLiteral(policy, host, literal as IpFamily, want, fallback, started);
  enforceName(policy, host);
  let found: LookupAddress[];
  try {
    found = await abortable(lookup(host), signal);
  } catch (err) {
    if (err instanceof ProbeAborted) throw new AddressError('aborted', err.message, elapsed());
    throw new AddressError('lookup', (err as Error).message, elapsed(), undefined, { cause: err });
  }
  const candidates = found.filter((a) => a.family === 4 || a.family === 6).map((a) => ({ address: a.address, family: a.family as IpFamily }));
  const lookupSeconds = elapsed();
  const pick = pickAddress(candidates, want, fallback);
  if (!pick) {
    const what = want === 0 || fallback ? 'no address' : `no IPv${want} address`;
    throw new AddressError('no-address', `${what} found`, lookupSeconds);
  }
  // The address chosen is the one probed: checked here, connected to as it is (no second lookup).
  enforceAddress(policy, host, pick.address);
  return { ...pick, lookupSeconds };
}

/**
 * chooseAddress for an IP literal, without a promise: undefined when `host` is not one. The hot
 * path of targets given as addresses, which need no lookup.
 */
export function chooseLiteralAddress(policy: TargetPolicy | undefined, host: string, want: IpFamily | 0, fallback: boolean): ChosenAddress | undefined {
  const started = performance.now();
  const literal = isIP(stripZone(host));
  return literal === 0 ? undefined : chooseLiteral(policy, host, literal as IpFamily, want, fallback, started);
}

function chooseLiteral(policy: TargetPolicy | undefined, host: string, literal: IpFamily, want: IpFamily | 0, fallback: boolean, started: number): ChosenAddress {
  const lookupSeconds = (performance.now() - started) / 1000;
  const pick = pickAddress([{ address: host, family: literal }], want, fallback);
  if (!pick) {
    const what = want === 0 || fallback ? 'no address' : `no IPv${want} address`;
    throw new AddressError('no-address', `${what} found`, lookupSeconds, literal);
  }
  enforceAddress(policy, host, pick.address);
  return { ...pick, lookupSeconds };
}

/**
 * The first address of the wanted family; failing that, with fallback, the LAST address of the
 * other family: blackbox keeps overwriting its fallback while it looks for the wanted family
 * (seen with blackbox 0.23's tcp prober on a name with two IPv4 addresses and ip6 preferred).
 */
export function pickAddress<T extends { family: IpFamily }>(candidates: T[], want: IpFamily | 0, fallback: boolean): T | undefined {
  if (want === 0) return candidates[0];
  return candidates.find((c) => c.family === want) ?? (fallback ? candidates.at(-1) : undefined);
}
