import { isIP } from 'node:net';
import type { TargetPolicySettings } from '../../lib/config/target-policy.js';
import { canonicalHost, cidrList, embeddedIpv4, inList } from './ip.js';
import type { TargetPolicy } from '../../lib/probe/target-policy.js';

export type { TargetPolicy };

/**
 * Never probed unless allow_cidrs lists them: link-local (where cloud metadata services live),
 * the metadata addresses clouds put elsewhere, and "this host" (0.0.0.0 and :: reach loopback).
 */
export const ALWAYS_DENIED = [
  '169.254.0.0/16',
  'fe80::/10',
  'fd00:ec2::254/128',
  '100.100.100.200/32',
  '0.0.0.0/8',
  '::/128',
];
const LOOPBACK = cidrList(['127.0.0.0/8', '::1/128'], 'loopback');


function nameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  return p.startsWith('*.') ? name.endsWith(p.slice(1)) : name === p;
}

/**
 * The policy from `exporter.target_policy` (empty when unset). `ownPorts` are the exporter's and
 * its hub's ports: on loopback they are denied unless allow_ports lists them.
 */
export function compilePolicy(settings: Partial<TargetPolicySettings> | undefined, ownPorts: readonly number[] = []): TargetPolicy {
  const s = settings ?? {};
  const allow = cidrList(s.allow_cidrs ?? [], 'target_policy.allow_cidrs');
  const deny = cidrList(s.deny_cidrs ?? [], 'target_policy.deny_cidrs');
  const always = cidrList(ALWAYS_DENIED, 'built-in');
  const hasAllow = (s.allow_cidrs ?? []).length > 0;
  const allowNames = s.allow_names ?? [];
  const denyNames = s.deny_names ?? [];
  const allowPorts = new Set(s.allow_ports ?? []);
  const denyPorts = new Set(s.deny_ports ?? []);
  const own = new Set(ownPorts);

  const one = (address: string): string | undefined => {
    if (inList(deny, address)) return `${address} is in target_policy.deny_cidrs`;
    if (inList(allow, address)) return undefined;
    if (inList(always, address)) return `${address} is link-local, cloud metadata or "this host", denied unless target_policy.allow_cidrs lists it`;
    if (hasAllow) return `${address} is not in target_policy.allow_cidrs`;
    return undefined;
  };

  return {
    checkName(host) {
      const name = canonicalHost(host);
      if (isIP(name) !== 0) return undefined;
      if (denyNames.some((p) => nameMatches(p, name))) return `${name} is in target_policy.deny_names`;
      if (allowNames.length > 0 && !allowNames.some((p) => nameMatches(p, name))) return `${name} is not in target_policy.allow_names`;
      return undefined;
    },
    checkAddress(host, address) {
      const a = canonicalHost(address);
      const v4 = embeddedIpv4(a);
      // An IPv6 address that embeds an IPv4 one reaches that host: both must pass.
      const why = one(a) ?? (v4 ? one(v4) : undefined);
      if (why) return host !== address && canonicalHost(host) !== a ? `${why} (${host} resolves to it)` : why;
      return undefined;
    },
    checkPort(address, port) {
      if (denyPorts.has(port)) return `port ${port} is in target_policy.deny_ports`;
      if (allowPorts.has(port)) return undefined;
      if (allowPorts.size > 0) return `port ${port} is not in target_policy.allow_ports`;
      const a = canonicalHost(address);
      const v4 = embeddedIpv4(a);
      if (own.has(port) && (inList(LOOPBACK, a) || (v4 !== undefined && inList(LOOPBACK, v4)))) {
        return `port ${port} on loopback is this agent's own (exporter or hub), denied unless target_policy.allow_ports lists it`;
      }
      return undefined;
    },
  };
}
