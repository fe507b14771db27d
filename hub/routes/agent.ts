import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Value from 'typebox/value';
import { PulseError } from '../../lib/errors.js';
import { peerCommonName, refusedKind } from '../../lib/pki.js';
import { AgentAnnouncement, type AnnouncementAccepted, HEARTBEAT_PATH, PROTOCOL_VERSION, REGISTER_PATH, SUPPORTED_PROTOCOLS } from '../../lib/wire.js';
import { plainAddress } from '../asn/agent-network.js';
import type { HubMetrics } from '../metrics.js';
import type { Registry } from '../registry.js';

export interface AgentRoutesDeps {
  registry: Registry;
  metrics: HubMetrics;
  heartbeatIntervalSeconds: number;
  /** Told of each accepted announcement's agent and source address (to find its network). */
  identify?: (name: string, address: string) => void;
}

/** The agents' port (mutual TLS): registration and heartbeats, both upserting the announcement. */
export function agentRoutes(app: FastifyInstance, deps: AgentRoutesDeps): void {
  const announce = async (req: FastifyRequest): Promise<AnnouncementAccepted> => {
    const socket = req.raw.socket as TLSSocket;
    const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
    const name = peer ? peerCommonName(peer) : undefined;
    if (!name) throw new PulseError('PULSE_UNAUTHENTICATED', 'a client certificate with a CN, signed by the Pulse CA, is required');
    // A user's or Prometheus' client certificate, or the hub's own, is signed by the same CA: only
    // agent certificates (or ones without a kind, from a user's own CA) may register.
    const kind = refusedKind(peer, ['client', 'server']);
    if (kind) throw new PulseError('PULSE_FORBIDDEN', `a ${kind} certificate cannot register as an agent; issue one with \`pulse certs issue --kind agent --name ${name}\``);
    const body = req.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      deps.metrics.announcements.inc({ result: 'invalid' });
      throw new PulseError('PULSE_BAD_REQUEST', 'body must be a JSON object');
    }
    // The protocol is checked before anything else: a newer agent's body may not fit our schema.
    const protocol = body.protocol;
    if (typeof protocol !== 'number' || !SUPPORTED_PROTOCOLS.includes(protocol)) {
      const reason = `protocol ${JSON.stringify(protocol)} is not supported by this hub (it speaks ${SUPPORTED_PROTOCOLS.join(', ')})`;
      const seen: { protocol?: number; version?: string } = {};
      if (typeof protocol === 'number') seen.protocol = protocol;
      if (typeof body.version === 'string') seen.version = body.version.slice(0, 128);
      await deps.registry.refuse(name, reason, seen);
      deps.metrics.announcements.inc({ result: 'refused' });
      req.log.warn({ agent: name, protocol }, 'agent refused: protocol mismatch');
      throw new PulseError('PULSE_PROTOCOL_MISMATCH', reason);
    }
    if ('name' in body) {
      deps.metrics.announcements.inc({ result: 'invalid' });
      throw new PulseError('PULSE_BAD_REQUEST', `an agent's name is the CN of its certificate ("${name}"); do not send one`);
    }
    if (!Value.Check(AgentAnnouncement, body)) {
      deps.metrics.announcements.inc({ result: 'invalid' });
      const first = Value.Errors(AgentAnnouncement, body)[0];
      const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match the schema';
      throw new PulseError('PULSE_BAD_REQUEST', `announcement ${where}`);
    }
    let url: string;
    try {
      url = reachableUrl(body.url, socket.remoteAddress);
    } catch {
      // The schema only checks the scheme: "https://", "http://[" or a space still get here.
      deps.metrics.announcements.inc({ result: 'invalid' });
      throw new PulseError('PULSE_BAD_REQUEST', `announcement /url: ${JSON.stringify(body.url.slice(0, 200))} is not a valid URL`);
    }
    const ann = { ...body, url };
    const address = socket.remoteAddress ? plainAddress(socket.remoteAddress) : undefined;
    await deps.registry.accept(name, ann, address ? { public_address: address } : {});
    if (address) deps.identify?.(name, address);
    deps.metrics.announcements.inc({ result: 'accepted' });
    return { protocol: PROTOCOL_VERSION, name, url: ann.url, heartbeat_interval_seconds: deps.heartbeatIntervalSeconds };
  };
  // Heartbeats from every agent would drown the log at info; refusals are logged as warnings.
  app.post(REGISTER_PATH, { logLevel: 'warn' }, announce);
  app.post(HEARTBEAT_PATH, { logLevel: 'warn' }, announce);
}

/**
 * An exporter listening on every address announces 0.0.0.0 or [::]; the hub calls it where it came from.
 * Throws (TypeError from URL) when `url` is not a URL.
 */
export function reachableUrl(url: string, peer: string | undefined): string {
  const u = new URL(url);
  if (!peer || !['0.0.0.0', '[::]', ''].includes(u.hostname)) return u.toString().replace(/\/$/, '');
  const ip = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
  u.hostname = ip.includes(':') ? `[${ip}]` : ip;
  return u.toString().replace(/\/$/, '');
}
