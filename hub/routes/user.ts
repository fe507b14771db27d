import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ProbeJob } from '../../lib/config/targets.js';
import { loadCelFor } from '../../lib/cel.js';
import { PulseError } from '../../lib/errors.js';
import { type MeasureDeps, measurementAgents, startMeasurement } from '../measure.js';
import type { RateLimiter } from '../rate/limiter.js';
import { startLimited } from '../rate/start-limited.js';
import type { HubMetrics } from '../metrics.js';
import { type MeasurementSpec, type ProberLookup, parseMeasurementRequest } from '../request.js';
import { sendMeasurement } from '../respond.js';
import type { SharedRuns } from '../store/redis/running.js';
import type { ResultStore } from '../store/results.js';
import { SdCache } from '../sd-cache.js';
import { curlSeed, dnsSeed, mtrSeed } from '../seed.js';
import { parseSelector } from '../selector.js';
import { readMeasurement } from './measurement-read.js';
import { hubOrigin } from './origin.js';
import { proberCatalog } from '../../lib/probers/catalog.js';

const READ = { config: { scope: 'read' } } as const;
const RUN = { config: { scope: 'run' } } as const;

export interface UserRoutesDeps extends MeasureDeps {
  probers: ProberLookup;
  jobs: () => ProbeJob[];
  metrics: HubMetrics;
  /** Finished measurements no longer in memory (after a restart, or kept longer than measurement_ttl). */
  results?: ResultStore;
  /** Measurements running on other replicas (Redis store only). */
  sharedRuns?: SharedRuns | undefined;
  /** Per-identity limits (hub.rate_limits); none: unlimited (tests of other parts). */
  limiter?: RateLimiter;
}

/** The users' port: agents list, tests, Prometheus service discovery, the hub's metrics. */
export function userRoutes(app: FastifyInstance, deps: UserRoutesDeps): void {
  // The clients' list of test types (the page's tabs), from the prober catalog.
  app.get('/api/v1/types', READ, async () => ({ types: proberCatalog().tests() }));
  app.get('/agents/', READ, async () => ({ agents: deps.registry.list() }));
  app.get('/agents', READ, async (_req, reply) => reply.redirect('/agents/', 308));

  const measure = (parse: (body: unknown) => MeasurementSpec) => async (req: FastifyRequest, reply: FastifyReply) => {
    await loadCelFor(req.body);
    const spec = parse(req.body);
    const agents = measurementAgents(spec, deps);
    const size = { agentTargets: agents.length * spec.targets.length, timeoutSeconds: spec.timeoutSeconds };
    const live = await startLimited(deps.limiter, req, size, (onFinish) => startMeasurement(spec, deps, { agents, ...(onFinish ? { onFinish } : {}) }));
    return sendMeasurement(req, reply, live);
  };
  app.post('/api/v1/measurements', RUN, measure((b) => parseMeasurementRequest(b, deps.probers)));
  app.post('/dns/', RUN, measure((b) => dnsSeed(b, deps.probers, parseSelector)));
  app.post('/curl/', RUN, measure((b) => curlSeed(b, deps.probers, parseSelector)));
  app.post('/mtr/', RUN, measure((b) => mtrSeed(b, deps.probers, parseSelector)));

  app.get('/api/v1/measurements/:id', READ, (req, reply) => readMeasurement(req, reply, deps));

  const sd = new SdCache(deps.registry);
  app.get('/sd', READ, async (req, reply) => {
    const { job } = req.query as { job?: unknown };
    if (job !== undefined && typeof job !== 'string') throw new PulseError('PULSE_BAD_REQUEST', 'job must appear once');
    if (job !== undefined && !deps.jobs().some((j) => j.name === job)) {
      throw new PulseError('PULSE_NOT_FOUND', `no probe job "${job.slice(0, 100)}" in targets:`);
    }
    return reply.type('application/json; charset=utf-8').send(sd.get(deps.jobs(), job, hubOrigin(req)));
  });

  app.get('/metrics', READ, async (_req, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  app.get('/-/healthy', { config: { scope: 'public' } }, async (_req, reply) => reply.type('text/plain').send('Healthy\n'));
}
