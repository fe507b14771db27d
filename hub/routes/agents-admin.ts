import type { FastifyInstance } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import type { Registry } from '../registry.js';

/** Users' port: forgetting an agent now (a decommissioned one), not waiting for hub.agent_forget_after. */
export function agentAdminRoutes(app: FastifyInstance, deps: { registry: Registry }): void {
  app.delete('/agents/:name', { config: { scope: 'admin' } }, async (req, reply) => {
    const { name } = req.params as { name: string };
    if (!(await deps.registry.remove(name))) throw new PulseError('PULSE_NOT_FOUND', `no agent "${name.slice(0, 128)}"`);
    req.log.info({ agent: name }, 'agent forgotten on request');
    return reply.code(204).send();
  });
}

/**
 * Every so often, forgets agents not heard from for `afterMs`; returns the stop function. Checked
 * at a quarter of that age (between 1 s and 1 h), so an agent goes at most that much late.
 */
export function forgetSilentAgents(registry: Registry, afterMs: number, log: { info(o: object, m: string): void; error(o: object, m: string): void }): () => void {
  const run = () =>
    registry.forgetSilent(afterMs).then(
      (names) => {
        if (names.length > 0) log.info({ agents: names }, 'forgot agents not heard from for hub.agent_forget_after');
      },
      (err: unknown) => log.error({ err }, 'forgetting silent agents failed'),
    );
  void run();
  const timer = setInterval(run, Math.min(Math.max(afterMs / 4, 1000), 3_600_000));
  timer.unref();
  return () => clearInterval(timer);
}
