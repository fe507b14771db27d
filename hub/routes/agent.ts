import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import { type AnnouncementAccepted, HEARTBEAT_PATH, PROTOCOL_VERSION, REGISTER_PATH } from '../../lib/wire.js';
import { agentName, checkAnnouncement } from '../announcement.js';
import { announcedUrlRefusal } from '../announced-url.js';
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
    const name = agentName(socket.authorized ? socket.getPeerCertificate() : undefined);
    const body = await checkAnnouncement(name, req.body, { ...deps, log: req.log });
    let url: string;
    try {
      url = reachableUrl(body.url, socket.remoteAddress);
    } catch {
      // The schema only checks the scheme: "https://", "http://[" or a space still get here.
      deps.metrics.announcements.inc({ result: 'invalid' });
      throw new PulseError('PULSE_BAD_REQUEST', `announcement /url: ${JSON.stringify(body.url.slice(0, 200))} is not a valid URL`);
    }
    const refusal = announcedUrlRefusal(url, socket.getPeerCertificate(), socket.remoteAddress);
    if (refusal) {
      deps.metrics.announcements.inc({ result: 'refused' });
      req.log.warn({ agent: name, url: url.slice(0, 256) }, 'agent refused: announced URL not its own');
      throw new PulseError('PULSE_FORBIDDEN', refusal);
    }
    const ann = { ...body, url };
    const address = socket.remoteAddress ? plainAddress(socket.remoteAddress) : undefined;
    await deps.registry.accept(name, ann, 'direct', address ? { public_address: address } : {});
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
