import type { PeerCertificate, TLSSocket } from 'node:tls';

/** The CN of a verified peer certificate, or undefined; Node gives a list when the CN repeats. */
export function peerCommonName(cert: PeerCertificate | Record<string, never> | undefined): string | undefined {
  const cn = (cert as PeerCertificate | undefined)?.subject?.CN as string | string[] | undefined;
  if (Array.isArray(cn)) return cn.length === 1 ? cn[0] : undefined;
  return cn || undefined;
}

/**
 * The OU values of a verified peer certificate. Pulse's own certificates carry their kind
 * (server, agent, client) there; certificates from a user's own CA may carry none.
 */
export function peerUnits(cert: PeerCertificate | Record<string, never> | undefined): string[] {
  const ou = (cert as PeerCertificate | undefined)?.subject?.OU as string | string[] | undefined;
  if (ou === undefined) return [];
  return Array.isArray(ou) ? ou : [ou];
}

/** The kinds of Pulse certificate among `refused` that this peer's OU names, if any. */
export function refusedKind(cert: PeerCertificate | Record<string, never> | undefined, refused: readonly string[]): string | undefined {
  return peerUnits(cert).find((ou) => refused.includes(ou));
}

const peers = new WeakMap<TLSSocket, PeerCertificate | Record<string, never>>();

/**
 * The socket's verified peer certificate, parsed once per connection: getPeerCertificate()
 * builds a fresh object each call, and keep-alive scrapers (Prometheus, the relay) ask on every
 * request of the same socket, whose certificate cannot change.
 */
export function cachedPeerCertificate(socket: TLSSocket): PeerCertificate | Record<string, never> {
  let peer = peers.get(socket);
  if (peer === undefined) {
    peer = socket.getPeerCertificate();
    peers.set(socket, peer);
  }
  return peer;
}
