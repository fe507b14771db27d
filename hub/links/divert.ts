import type { Server } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { TUNNEL_ALPN } from '../../lib/tunnel.js';

/** ALPN protocols the agents' port offers: HTTPS registrations, and tunnels. */
export const AGENT_PORT_ALPN = ['http/1.1', TUNNEL_ALPN];

/**
 * Hands connections that negotiated the tunnel protocol to `onTunnel` instead of the HTTPS server
 * they arrived on; every other connection goes where it went before. One port serves both, so an
 * agent behind an outbound-only firewall needs one rule, and the same certificate checks apply.
 */
export function divertTunnels(server: Server, onTunnel: (socket: TLSSocket) => void): void {
  const previous = server.listeners('secureConnection') as Array<(socket: TLSSocket) => void>;
  server.removeAllListeners('secureConnection');
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.alpnProtocol === TUNNEL_ALPN) return onTunnel(socket);
    for (const l of previous) l.call(server, socket);
  });
}
