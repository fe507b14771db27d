import type { Registry } from '../registry.js';
import type { AsnService } from './service.js';

/** The peer address as people write it: an IPv4 client on a dual-stack socket is not ::ffff:a.b.c.d. */
export function plainAddress(peer: string): string {
  return peer.startsWith('::ffff:') && peer.includes('.') ? peer.slice(7) : peer;
}

/**
 * Looks up the network of each agent's public address once per address, after the agent was
 * accepted (never on the registration's path: the offline table loads on first use). A failed
 * lookup is logged and tried again when the agent next announces.
 */
export function agentNetworkLookup(
  registry: Registry,
  asn: AsnService,
  log: { warn(o: object, m: string): void },
): (name: string, address: string) => void {
  const done = new Map<string, string>();
  return (name, address) => {
    if (done.get(name) === address) return;
    done.set(name, address);
    asn
      .summaryOf(address)
      .then((s) => registry.setNetwork(name, address, s ? { asn: s.asn, as_name: s.name } : undefined))
      .catch((err: unknown) => {
        done.delete(name);
        log.warn({ agent: name, err }, 'looking up the network of an agent failed');
      });
  };
}
