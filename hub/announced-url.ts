import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { plainAddress } from './asn/agent-network.js';

/**
 * Why a direct agent may not announce this URL, or undefined. Its host must be one its certificate
 * names (a SAN, as the hub checks when it calls the agent over TLS) or the address the agent
 * connects from. Otherwise an agent could have `/sd` send Prometheus (and the hub's calls) to a
 * host it does not own, under its own name.
 */
export function announcedUrlRefusal(url: string, peer: PeerCertificate, peerAddress: string | undefined): string | undefined {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (peerAddress && sameAddress(host, plainAddress(peerAddress))) return undefined;
  if (checkServerIdentity(host, peer) === undefined) return undefined;
  const names = peer.subjectaltname ? peer.subjectaltname : 'no subject alternative names';
  return `announcement /url: host "${host.slice(0, 256)}" is neither in this agent's certificate (${names}) nor the address it connects from (${peerAddress ? plainAddress(peerAddress) : 'unknown'}); issue its certificate with --host ${host.slice(0, 256)}`;
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
