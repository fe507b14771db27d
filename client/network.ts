import type { Agent } from './api.js';

/**
 * An agent's network in one cell: the address the hub sees it at, its AS, and the resolvers it
 * uses ("203.0.113.7 AS3320 DTAG · dns 192.0.2.53"). Empty for agents too old to report one.
 */
export function agentNetwork(a: Agent): string {
  const parts: string[] = [];
  if (a.public_address) parts.push(a.public_address);
  if (a.asn) parts.push(a.as_name ? `${a.asn} ${a.as_name}` : a.asn);
  const net = parts.join(' ');
  const dns = a.resolvers && a.resolvers.length > 0 ? `dns ${a.resolvers.join(',')}` : '';
  return [net, dns].filter(Boolean).join(' · ');
}

/** Whether any agent has something for the NETWORK column (a hub older than this one has none). */
export function hasNetwork(agents: readonly Agent[]): boolean {
  return agents.some((a) => agentNetwork(a) !== '');
}
