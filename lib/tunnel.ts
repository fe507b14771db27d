/**
 * The dial-out tunnel (docs/dial-out.md). An exporter opens a mutual-TLS connection to the hub's
 * agents' port offering only this ALPN protocol; once TLS is up the exporter serves HTTP/2 on the
 * socket and the hub is the HTTP/2 client. The hub tells tunnels from ordinary HTTPS
 * registrations on the same port by this name.
 */
export const TUNNEL_ALPN = 'pulse-tunnel/1';

/** Served by the exporter only inside its tunnel: the hub asks for the announcement here (registration and heartbeat). */
export const TUNNEL_ANNOUNCEMENT_PATH = '/-/tunnel/announcement';

export type ConnectionMode = 'direct' | 'dial-out';

/** How an agent is connected, as GET /agents/ shows it. */
export interface ConnectionView {
  mode: ConnectionMode;
  connected: boolean;
  /** When `connected` last changed (ISO time). */
  since: string;
}
