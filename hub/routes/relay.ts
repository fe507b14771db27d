import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import { cachedPeerCertificate, refusedKind } from '../../lib/pki.js';
import { SharedDeadlines } from '../../lib/shared-deadlines.js';
import type { AgentLinks } from '../links/types.js';
import { connectionMode, type Registry } from '../registry.js';

export interface RelayRoutesDeps {
  registry: Registry;
  links: AgentLinks;
}

/** Without X-Prometheus-Scrape-Timeout-Seconds (a curl by hand), the relay waits this long. */
const DEFAULT_RELAY_TIMEOUT_S = 30;
const MAX_RELAY_TIMEOUT_S = 600;

/**
 * Prometheus' way to dial-out agents: GET /agents/NAME/probe?... and /agents/NAME/metrics are
 * passed through the agent's link and answered with the agent's own status, type and bytes.
 */
export function relayRoutes(app: FastifyInstance, deps: RelayRoutesDeps): void {
  // Scrapes started within the same 50 ms share one deadline: a controller and timer per scrape cost more than the relay itself.
  const deadlines = new SharedDeadlines('relay timeout');
  const relay = (what: 'probe' | 'metrics') => async (req: FastifyRequest, reply: FastifyReply) => {
    requireRelayClient(req);
    const { name } = req.params as { name: string };
    const agent = deps.registry.reachable(name);
    if (!agent) throw new PulseError('PULSE_NOT_FOUND', `no agent "${name.slice(0, 128)}"`);
    if (agent.refused !== null) throw new PulseError('PULSE_AGENT_OFFLINE', `agent ${agent.name} is refused by the hub: ${agent.refused}`);
    if (!agent.active) {
      const how = connectionMode(agent) === 'dial-out' ? 'its tunnel to the hub is down' : 'it has not been heard from';
      throw new PulseError('PULSE_AGENT_OFFLINE', `agent ${agent.name} is not connected: ${how} since ${deps.registry.get(name)?.connection?.since}`);
    }
    const link = deps.links.link(agent);
    if ('offline' in link) throw new PulseError('PULSE_AGENT_OFFLINE', link.offline);
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    // The query goes on exactly as Prometheus sent it: same parameters, same order, same encoding.
    const path = `/${what}${what === 'probe' && q >= 0 ? url.slice(q) : ''}`;
    const headers: Record<string, string> = {};
    const scrapeTimeout = req.headers['x-prometheus-scrape-timeout-seconds'];
    if (typeof scrapeTimeout === 'string') headers['x-prometheus-scrape-timeout-seconds'] = scrapeTimeout;
    if (typeof req.headers.accept === 'string') headers.accept = req.headers.accept;
    const seconds = relayTimeoutSeconds(scrapeTimeout);
    const outcome = await link.relay({ path, headers }, deadlines.after(seconds * 1000));
    if (outcome.kind === 'timeout') throw new PulseError('PULSE_AGENT_TIMEOUT', `agent ${agent.name} did not answer within ${seconds}s`);
    if (outcome.kind === 'unreachable') throw new PulseError('PULSE_AGENT_OFFLINE', `agent ${agent.name} unreachable: ${outcome.message}`);
    reply.code(outcome.status);
    if (outcome.contentType) reply.type(outcome.contentType);
    return reply.send(outcome.body);
  };
  // Reading a probe's result is what Prometheus does; issue 13's scopes read the declaration.
  app.get('/agents/:name/probe', { config: { scope: 'read' } }, relay('probe'));
  app.get('/agents/:name/metrics', { config: { scope: 'read' } }, relay('metrics'));
}

/** Prometheus' scrape timeout, honoured by the relay too; without one (or a bad one) the default. */
export function relayTimeoutSeconds(header: unknown): number {
  const s = typeof header === 'string' ? Number(header) : Number.NaN;
  return Number.isFinite(s) && s > 0 ? Math.min(s, MAX_RELAY_TIMEOUT_S) : DEFAULT_RELAY_TIMEOUT_S;
}

/**
 * A caller the hub's auth layer identified (a token or a client certificate with the `read`
 * scope) may scrape. Without one, as on an exporter, only a verified client certificate may
 * (Prometheus has one from `pulse certs issue --kind client`); agents and the hub's own
 * certificate may not, so an agent cannot use the hub to reach another agent.
 */
function requireRelayClient(req: FastifyRequest): void {
  if (req.pulseIdentity) return;
  const socket = req.raw.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) {
    throw new PulseError('PULSE_UNAUTHENTICATED', 'the relay needs a client certificate from the Pulse CA: serve the users\' port with hub.tls and client_ca_file');
  }
  const kind = refusedKind(cachedPeerCertificate(socket), ['agent', 'server']);
  if (kind) throw new PulseError('PULSE_FORBIDDEN', `a ${kind} certificate may not use the relay; Prometheus needs a client certificate`);
}
