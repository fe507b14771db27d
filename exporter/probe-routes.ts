import type { TLSSocket } from 'node:tls';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { loadCelFor } from '../lib/cel.js';
import { adHocModule } from '../lib/config/adhoc.js';
import type { Module } from '../lib/config/module.js';
import { isPulseError, PulseError } from '../lib/errors.js';
import { cachedPeerCertificate, refusedKind } from '../lib/pki/peer.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../lib/probe/exposition.js';
import { redactUrl } from '../lib/redact.js';
import { PROTOCOL_VERSION, RunRequest, type RunResponse } from '../lib/wire.js';
import { renderDebug, sortedFamilies } from './debug.js';
import { jsonResult, type RouteRequest, type RouteResult, textResult } from './http/routes.js';
import { metricsAsJson } from './json.js';
import { createDeadlineSignal, executeProbe, type ProbeOutcome, type ProbeRequest, prepareProbe } from './probe.js';
import type { ProbeHistory } from './probe-history.js';
import { withHostname } from './probe-hostname.js';
import type { ProberRegistry } from './probers/index.js';
import type { SelfMetrics } from './self-metrics.js';
import type { ExporterState } from './state.js';

/** What the probe routes share with the exporter that builds them; `state` changes on reload. */
export interface ProbeContext {
  probers: ProberRegistry;
  metrics: SelfMetrics;
  history: ProbeHistory;
  state(): ExporterState;
}

const ProbeQuery = Type.Object({
  module: Type.Optional(Type.String({ maxLength: 256 })),
  target: Type.Optional(Type.String()),
  debug: Type.Optional(Type.String()),
  hostname: Type.Optional(Type.String({ maxLength: 300 })),
});

type Run = (req: ProbeRequest, moduleLabel: string) => Promise<ProbeOutcome>;
type Refuse = (err: unknown, asText: boolean) => RouteResult;

/** GET /probe and POST /api/v1/run over one runner: a concurrency slot, one deadline, the counters. */
export function probeRoutes(ctx: ProbeContext) {
  const run = createRunner(ctx);
  const refuse = refuser(ctx.metrics);
  return { probe: probeRoute(ctx, run, refuse), adHocRun: adHocRoute(ctx, run, refuse) };
}

function createRunner({ probers, metrics, state: current }: ProbeContext): Run {
  return async (req, moduleLabel) => {
    const state = current();
    const { prober, timeoutSeconds } = prepareProbe(probers, state.config.exporter, req);
    const name = req.module.prober;
    // Probers no module uses are checked after start-up; an ad-hoc test may be the first to ask.
    if (state.pending.has(name)) await state.checked;
    const limiter = state.limiters.get(name)!;
    // One deadline for queue and probe: time spent waiting for a slot comes off the probe's.
    const deadline = performance.now() + timeoutSeconds * 1000;
    // One signal and one timer serve both: it gives up the wait for a slot and aborts the probe.
    const timer = createDeadlineSignal(Math.max(1, Math.round(timeoutSeconds * 1000)));
    let outcome: ProbeOutcome;
    try {
      outcome = await limiter.run(timer.signal, async () => {
        metrics.inFlight.inc({ prober: name });
        try {
          // The state now, not when the request came: a reload may have happened while it waited.
          const now = current();
          return await executeProbe(prober, now.config.exporter, req, timeoutSeconds, now.unavailable.get(name), deadline, timer.signal);
        } finally {
          metrics.inFlight.dec({ prober: name });
        }
      });
    } finally {
      timer.clear();
    }
    metrics.probes.inc({ module: moduleLabel, prober: name, result: outcome.success ? 'success' : 'failure' });
    metrics.duration.observe({ prober: name }, outcome.durationSeconds);
    return outcome;
  };
}

/** A refusal counted by code; /probe answers it as text, as blackbox does. */
function refuser(metrics: SelfMetrics): Refuse {
  return (err, asText) => {
    if (!isPulseError(err)) throw err;
    metrics.rejected.inc({ code: err.code });
    if (err.code === 'PULSE_UNKNOWN_MODULE') metrics.moduleUnknown.inc();
    return asText ? textResult(err.status, `${err.message}\n`) : jsonResult(err.status, err.toJSON());
  };
}

function probeRoute(ctx: ProbeContext, run: Run, refuse: Refuse) {
  // Compiled once: checking the query is on every scrape's path.
  const probeQuery = Compile(ProbeQuery);
  return async (req: RouteRequest): Promise<RouteResult> => {
    const query = req.query as Record<string, unknown>;
    if (!probeQuery.Check(query)) {
      return refuse(new PulseError('PULSE_BAD_REQUEST', 'query parameters must appear once each (module, target, debug, hostname)'), true);
    }
    const moduleName = (query.module as string | undefined) || 'http_2xx';
    const mod = configuredModule(ctx.state(), moduleName);
    try {
      if (!mod) throw new PulseError('PULSE_UNKNOWN_MODULE', `Unknown module "${moduleName}"`);
      const header = req.headers['x-prometheus-scrape-timeout-seconds'];
      const probeReq: ProbeRequest = { moduleName, module: withHostname(mod, query.hostname as string | undefined), target: (query.target as string | undefined) ?? '' };
      if (typeof header === 'string') probeReq.scrapeTimeoutHeader = header;
      const debug = query.debug === 'true';
      if (!debug) probeReq.metricsOnly = true;
      probeReq.fromPrometheus = true;
      const outcome = await run(probeReq, moduleName);
      ctx.history.add(moduleName, probeReq.target, outcome.success, () => renderDebug(outcome, probeReq.module));
      if (debug) return textResult(200, renderDebug(outcome, mod));
      return textResult(200, renderExposition(sortedFamilies(outcome)), EXPOSITION_CONTENT_TYPE);
    } catch (err) {
      return refuse(err, true);
    }
  };
}

const compileRunRequest = () => Compile(RunRequest);

function adHocRoute(ctx: ProbeContext, run: Run, refuse: Refuse) {
  // Compiled on the first ad-hoc test, not at start: the schema holds every prober's options
  // (about 15 ms to compile), and an exporter that only Prometheus scrapes never needs it.
  let compiled: ReturnType<typeof compileRunRequest> | undefined;
  return async (req: RouteRequest): Promise<RouteResult> => {
    compiled ??= compileRunRequest();
    const runRequest = compiled;
    if (!runRequest.Check(req.body)) {
      const first = runRequest.Errors(req.body)[0];
      throw new PulseError('PULSE_BAD_REQUEST', `body${first ? `${first.instancePath} ${first.message}` : ' does not match the schema'}`);
    }
    requireClientCertificate(req.raw.socket as TLSSocket);
    const body = req.body;
    if (body.protocol !== PROTOCOL_VERSION) {
      throw new PulseError('PULSE_PROTOCOL_MISMATCH', `this exporter speaks protocol ${PROTOCOL_VERSION}, request has ${body.protocol}`);
    }
    const { mod, label } = await adHocTarget(ctx.state(), body);
    const probeReq: ProbeRequest = { module: mod, target: body.target };
    if (body.timeout_seconds !== undefined) probeReq.timeoutSeconds = body.timeout_seconds;
    try {
      const o = await run(probeReq, label);
      const res: RunResponse = {
        protocol: PROTOCOL_VERSION,
        type: o.prober,
        // A URL's user:password stays with the exporter, as in its logs.
        target: redactUrl(o.target),
        success: o.success,
        duration_seconds: o.durationSeconds,
        timeout_seconds: o.timeoutSeconds,
        metrics: metricsAsJson(o.metrics),
        details: o.details,
        logs: o.logs,
      };
      if (o.reason !== undefined) res.reason = o.reason;
      return jsonResult(200, res);
    } catch (err) {
      return refuse(err, false);
    }
  };
}

/** The module an ad-hoc test runs: a configured one by name (of the same type), or one from its options. */
async function adHocTarget(state: ExporterState, body: RunRequest): Promise<{ mod: Module; label: string }> {
  if (body.module !== undefined) {
    const configured = configuredModule(state, body.module);
    if (!configured) throw new PulseError('PULSE_UNKNOWN_MODULE', `Unknown module "${body.module}"`);
    if (configured.prober !== body.type) {
      throw new PulseError('PULSE_BAD_OPTIONS', `module "${body.module}" runs the ${configured.prober} prober, not ${body.type}`);
    }
    return { mod: configured, label: body.module };
  }
  await loadCelFor(body.options);
  return { mod: adHocModule(body.type, body.options ?? {}), label: `adhoc_${body.type}` };
}

/** Own keys only: `module=constructor` must be an unknown module, not Object's prototype. */
function configuredModule(state: ExporterState, name: string): Module | undefined {
  const modules = state.config.modules;
  return Object.hasOwn(modules, name) ? modules[name] : undefined;
}

function requireClientCertificate(socket: TLSSocket): void {
  if (typeof socket.getPeerCertificate !== 'function') {
    throw new PulseError('PULSE_FORBIDDEN', 'ad-hoc tests need mutual TLS: set exporter.tls in the config');
  }
  if (!socket.authorized) throw new PulseError('PULSE_UNAUTHENTICATED', 'a client certificate from the Pulse CA is required');
  // Prometheus (client) and other agents share the CA but must not run tests here: only the hub (server).
  const kind = refusedKind(cachedPeerCertificate(socket), ['client', 'agent']);
  if (kind) throw new PulseError('PULSE_FORBIDDEN', `a ${kind} certificate may not run ad-hoc tests; only the hub's may`);
}
