import type { FastifyRequest } from 'fastify';
import type { HubOrigin } from '../sd.js';

/**
 * The address and scheme a client used to reach this hub, from the request's Host header and
 * socket: dial-out agents are scraped there, so Prometheus comes back the way it came for /sd.
 * Undefined when the Host header is not a plain host[:port].
 */
export function hubOrigin(req: FastifyRequest): HubOrigin | undefined {
  const scheme = 'encrypted' in req.raw.socket && req.raw.socket.encrypted ? 'https' : 'http';
  const host = req.headers.host;
  const m = typeof host === 'string' ? HOST.exec(host) : null;
  if (!m) return undefined;
  return { address: m[2] ? host! : `${host}:${scheme === 'https' ? 443 : 80}`, scheme };
}

/** A DNS name, IPv4 address or bracketed IPv6 address, and an optional port. */
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(:\d{1,5})?$/;
