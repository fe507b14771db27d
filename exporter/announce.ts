import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { ProberName } from '../lib/config/module.js';
import { formatHostPort } from '../lib/listen.js';
import { pulseVersion } from '../lib/version.js';
import { type AgentAnnouncement, PROTOCOL_VERSION } from '../lib/wire.js';
import { systemResolvers } from './probers/dns/system-resolvers.js';
import type { ExporterState } from './state.js';

/** The URL the hub should call: advertise_url, else this listener's scheme, address and port. */
export function advertisedUrl(state: ExporterState, address: AddressInfo | string | null): string {
  const hub = state.config.exporter.hub;
  if (hub?.advertise_url) return hub.advertise_url.replace(/\/$/, '');
  const scheme = state.config.exporter.tls ? 'https' : 'http';
  if (!address || typeof address === 'string') throw new Error('cannot tell the hub where this exporter listens: set exporter.hub.advertise_url');
  // An unspecified address is sent as is; the hub replaces it with the address the agent connects from.
  return `${scheme}://${formatHostPort(address.address, address.port)}`;
}

/** IP versions with a global address on this host (loopback and link-local do not reach targets). */
export function ipVersions(): Array<4 | 6> {
  let v4 = false;
  let v6 = false;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') v4 = true;
      else if (!/^fe80:/i.test(a.address)) v6 = true;
    }
  }
  return [...(v4 ? [4 as const] : []), ...(v6 ? [6 as const] : [])];
}

/** This host's own addresses (not loopback), for the hub's /agents/: which network the agent sits in. */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal) out.push(a.address);
  return out.slice(0, 64);
}

/** The body of a registration or heartbeat, rebuilt each time so a config reload shows up. */
export function buildAnnouncement(state: ExporterState, url: string, proberNames: ProberName[]): AgentAnnouncement {
  return {
    protocol: PROTOCOL_VERSION,
    url,
    labels: state.config.exporter.labels,
    probers: proberNames.filter((p) => !state.unavailable.has(p)),
    ip_versions: ipVersions(),
    version: pulseVersion(),
    resolvers: systemResolvers(),
    addresses: hostAddresses(),
  };
}
