import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, type Registry } from 'prom-client';

/** Scopes whose requests make agents (or the hub) do something: each gets an audit line. */
const AUDITED = new Set(['run', 'operate', 'admin']);

export function outcomeOf(status: number): string {
  if (status < 400) return 'ok';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  return status < 500 ? 'refused' : 'error';
}

/** What a request asked to run, from its body: targets and agent selectors, cut short. */
export function whatOf(req: FastifyRequest): { targets?: unknown; agents?: unknown; type?: unknown } {
  const b = req.body;
  if (!b || typeof b !== 'object' || Array.isArray(b)) return {};
  const o = b as Record<string, unknown>;
  const cut = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v).slice(0, 500));
  const out: { targets?: unknown; agents?: unknown; type?: unknown } = {};
  const targets = o.target ?? o.Targets ?? o.Target ?? o.Host ?? o.operations;
  if (targets !== undefined) out.targets = cut(targets);
  if (o.agents !== undefined) out.agents = cut(o.agents);
  if (typeof o.type === 'string') out.type = o.type.slice(0, 40);
  return out;
}

/**
 * One JSON log line per request that runs something (who, scope, what, which agents and targets,
 * outcome), and `pulse_hub_api_requests_total{identity,scope,outcome}` for every scoped request.
 */
export function installAudit(app: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: 'pulse_hub_api_requests_total',
    help: 'Requests to scoped routes of the users\' port, by identity (token name, certificate CN, anonymous or unauthenticated), scope and outcome',
    labelNames: ['identity', 'scope', 'outcome'],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const scope = req.routeOptions.config?.scope;
    if (scope === undefined || scope === 'public') return;
    const identity = req.pulseIdentity?.name ?? 'unauthenticated';
    const outcome = outcomeOf(reply.statusCode);
    requests.inc({ identity, scope, outcome });
    if (!AUDITED.has(scope)) return;
    req.log.info(
      { audit: { who: identity, kind: req.pulseIdentity?.kind ?? 'none', scope, method: req.method, route: req.routeOptions.url, url: req.url.slice(0, 300), status: reply.statusCode, outcome, ...whatOf(req) } },
      'audit',
    );
  });
}
