import type { PeerCertificate } from 'node:tls';
import Value from 'typebox/value';
import { PulseError } from '../lib/errors.js';
import { peerCommonName, refusedKind } from '../lib/pki.js';
import { reservedLabelReason } from '../lib/reserved-labels.js';
import { AgentAnnouncement, SUPPORTED_PROTOCOLS } from '../lib/wire.js';
import type { HubMetrics } from './metrics.js';
import type { Registry } from './registry.js';

/**
 * The agent's name from a verified peer certificate: its CN. A user's or Prometheus' client
 * certificate, or the hub's own, is signed by the same CA: only agent certificates (or ones
 * without a kind, from a user's own CA) may act as agents. Throws a PulseError otherwise.
 */
export function agentName(peer: PeerCertificate | undefined): string {
  const name = peer ? peerCommonName(peer) : undefined;
  if (!name) throw new PulseError('PULSE_UNAUTHENTICATED', 'a client certificate with a CN, signed by the Pulse CA, is required');
  const kind = refusedKind(peer, ['client', 'server']);
  if (kind) throw new PulseError('PULSE_FORBIDDEN', `a ${kind} certificate cannot register as an agent; issue one with \`pulse certs issue --kind agent --name ${name}\``);
  return name;
}

export interface AdmitDeps {
  registry: Registry;
  metrics: HubMetrics;
  log: { warn(obj: object, msg: string): void };
}

/**
 * Checks one announcement from agent `name` (over HTTPS or through its tunnel) and returns it
 * typed; throws a PulseError with the reason otherwise. A protocol the hub cannot speak is
 * recorded as a refusal, so /agents/ shows why the agent is not used.
 */
export async function checkAnnouncement(name: string, body: unknown, deps: AdmitDeps): Promise<AgentAnnouncement> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    deps.metrics.announcements.inc({ result: 'invalid' });
    throw new PulseError('PULSE_BAD_REQUEST', 'body must be a JSON object');
  }
  const fields = body as Record<string, unknown>;
  // The protocol is checked before anything else: a newer agent's body may not fit our schema.
  const protocol = fields.protocol;
  if (typeof protocol !== 'number' || !SUPPORTED_PROTOCOLS.includes(protocol)) {
    const reason = `protocol ${JSON.stringify(protocol)} is not supported by this hub (it speaks ${SUPPORTED_PROTOCOLS.join(', ')})`;
    const seen: { protocol?: number; version?: string } = {};
    if (typeof protocol === 'number') seen.protocol = protocol;
    if (typeof fields.version === 'string') seen.version = fields.version.slice(0, 128);
    await deps.registry.refuse(name, reason, seen);
    deps.metrics.announcements.inc({ result: 'refused' });
    deps.log.warn({ agent: name, protocol }, 'agent refused: protocol mismatch');
    throw new PulseError('PULSE_PROTOCOL_MISMATCH', reason);
  }
  if ('name' in fields) {
    deps.metrics.announcements.inc({ result: 'invalid' });
    throw new PulseError('PULSE_BAD_REQUEST', `an agent's name is the CN of its certificate ("${name}"); do not send one`);
  }
  const labels = fields.labels;
  const reserved = labels && typeof labels === 'object' ? Object.keys(labels).map(reservedLabelReason).find((r) => r !== undefined) : undefined;
  if (reserved) {
    deps.metrics.announcements.inc({ result: 'invalid' });
    throw new PulseError('PULSE_BAD_REQUEST', `announcement /labels: ${reserved}`);
  }
  if (!Value.Check(AgentAnnouncement, body)) {
    deps.metrics.announcements.inc({ result: 'invalid' });
    const first = Value.Errors(AgentAnnouncement, body)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'does not match the schema';
    throw new PulseError('PULSE_BAD_REQUEST', `announcement ${where}`);
  }
  return body;
}
