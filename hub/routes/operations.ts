import type { FastifyInstance } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import { type OperationDeps, operationAgents, startOperation } from '../operations/start.js';
import type { RateLimiter } from '../rate/limiter.js';
import { startLimited } from '../rate/start-limited.js';
import { parseOperationRequest } from '../operations/request.js';
import type { ProberLookup } from '../request.js';
import type { ResultStore } from '../store/results.js';

export interface OperationRoutesDeps extends OperationDeps {
  probers: ProberLookup;
  /** Finished operations no longer in memory. */
  results?: ResultStore;
  /** Per-identity limits (hub.rate_limits), shared with measurements. */
  limiter?: RateLimiter;
}

export function operationUrl(handle: string): string {
  return `/api/v1/operations/${handle}`;
}

/** Host-check operations (werify's `operation` and `get`): submit, answer a handle, poll it. */
export function operationRoutes(app: FastifyInstance, deps: OperationRoutesDeps): void {
  app.post('/api/v1/operations', { config: { scope: 'operate' } }, async (req, reply) => {
    const spec = parseOperationRequest(req.body, deps.probers);
    const agents = operationAgents(spec, deps);
    const size = { agentTargets: agents.length * spec.checks.length, timeoutSeconds: spec.timeoutSeconds };
    const live = await startLimited(deps.limiter, req, size, (onFinish) => startOperation(spec, deps, { agents, ...(onFinish ? { onFinish } : {}) }));
    const url = operationUrl(live.handle);
    return reply.code(202).header('location', url).send({ handle: live.handle, url });
  });

  app.get('/api/v1/operations/:handle', { config: { scope: 'read' } }, async (req) => {
    const { handle } = req.params as { handle: string };
    const op = deps.operations.get(handle)?.view() ?? (await deps.results?.getOperation(handle));
    if (!op) throw new PulseError('PULSE_NOT_FOUND', `no operation ${handle.slice(0, 64)} (unknown, or expired)`);
    return op;
  });
}
