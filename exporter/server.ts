import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { loadCelFor } from '../lib/cel.js';
import { adHocModule } from '../lib/config/adhoc.js';
import { ConfigError } from '../lib/config/errors.js';
import { loadConfigFile } from '../lib/config/load.js';
import type { Module, ProberName } from '../lib/config/module.js';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { formatDuration, parseDuration } from '../lib/duration.js';
import { isPulseError, PulseError } from '../lib/errors.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../lib/probe/exposition.js';
import { cachedPeerCertificate, refusedKind } from '../lib/pki/peer.js';
import { redactUrl } from '../lib/redact.js';
import { PROTOCOL_VERSION, RunRequest, type RunResponse } from '../lib/wire.js';
import { workerMetrics } from './cluster.js';
import { renderDebug, sortedFamilies } from './debug.js';
import { createApp, type ExporterApp } from './http/app.js';
import { createListener, type RequestListener } from './http/listener.js';
import { createLogger } from './http/logger.js';
import { jsonResult, type Route, type RouteRequest, textResult } from './http/routes.js';
import { metricsAsJson } from './json.js';
import { createDeadlineSignal, executeProbe, type ProbeOutcome, type ProbeRequest, prepareProbe } from './probe.js';
import { defaultProbers, type ProberRegistry } from './probers/index.js';
import { createSelfMetrics } from './self-metrics.js';
import { buildState, type ExporterState } from './state.js';
import { configPage, logsPage, type PageAnswer } from './pages.js';
import { ProbeHistory } from './probe-history.js';
import { withHostname } from './probe-hostname.js';

export interface ExporterOptions {
  config: ResolvedConfig;
  /** Where `/-/reload` and SIGHUP read the config from; reload is refused without it. */
  configFile?: string;
  probers?: ProberRegistry;
  logger?: boolean | { level: string };
}

export interface Exporter {
  app: ExporterApp;
  /** Every route as one Node request listener (http/1 or http2-compat objects), e.g. for a tunnel. */
  handle: RequestListener;
  state(): ExporterState;
  reload(): Promise<void>;
}

const ProbeQuery = Type.Object({
  module: Type.Optional(Type.String({ maxLength: 256 })),
  target: Type.Optional(Type.String()),
  debug: Type.Optional(Type.String()),
  hostname: Type.Optional(Type.String({ maxLength: 300 })),
});

const INDEX_CONTENT_TYPE = 'text/html; charset=utf-8';

/** pulse_exporter_prober_available from a state's checks (again when late checks answer, and on reload). */
function availabilityPublisher(metrics: ReturnType<typeof createSelfMetrics>, probers: ProberRegistry): (s: ExporterState) => void {
  return (s) => {
    for (const name of Object.keys(probers) as ProberName[]) {
      metrics.available.set({ prober: name }, s.unavailable.has(name) ? 0 : 1);
    }
  };
}

export async function buildExporter(opts: ExporterOptions): Promise<Exporter> {
  const probers = opts.probers ?? defaultProbers();
  const metrics = createSelfMetrics();
  // Compiled once: checking the query and the run body is on every request's path.
  const probeQuery = Compile(ProbeQuery);
  const runRequest = Compile(RunRequest);
  let state = await buildState(opts.config, probers, true);
  const history = new ProbeHistory(opts.config.exporter.history_limit);
  const publishAvailability = availabilityPublisher(metrics, probers);
  publishAvailability(state);
  state.checked.then(() => publishAvailability(state));
  metrics.reloadOk.set(1);
  metrics.reloadTime.set(Date.now() / 1000);
  const log = createLogger(opts.logger === true ? { level: 'info' } : opts.logger);

  async function run(req: ProbeRequest, moduleLabel: string): Promise<ProbeOutcome> {
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
          return await executeProbe(prober, state.config.exporter, req, timeoutSeconds, state.unavailable.get(name), deadline, timer.signal);
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
  }

  /** A refusal counted by code; /probe answers it as text, as blackbox does. */
  function refuse(err: unknown, asText: boolean) {
    if (!isPulseError(err)) throw err;
    metrics.rejected.inc({ code: err.code });
    if (err.code === 'PULSE_UNKNOWN_MODULE') metrics.moduleUnknown.inc();
    return asText ? textResult(err.status, `${err.message}\n`) : jsonResult(err.status, err.toJSON());
  }

  async function probe(req: RouteRequest) {
    const query = req.query as Record<string, unknown>;
    if (!probeQuery.Check(query)) {
      return refuse(new PulseError('PULSE_BAD_REQUEST', 'query parameters must appear once each (module, target, debug, hostname)'), true);
    }
    const moduleName = (query.module as string | undefined) || 'http_2xx';
    const mod = configuredModule(state, moduleName);
    try {
      if (!mod) throw new PulseError('PULSE_UNKNOWN_MODULE', `Unknown module "${moduleName}"`);
      const header = req.headers['x-prometheus-scrape-timeout-seconds'];
      const probeReq: ProbeRequest = { moduleName, module: withHostname(mod, query.hostname as string | undefined), target: (query.target as string | undefined) ?? '' };
      if (typeof header === 'string') probeReq.scrapeTimeoutHeader = header;
      const debug = query.debug === 'true';
      if (!debug) probeReq.metricsOnly = true;
      probeReq.fromPrometheus = true;
      const outcome = await run(probeReq, moduleName);
      history.add(moduleName, probeReq.target, outcome.success, () => renderDebug(outcome, probeReq.module));
      if (debug) return textResult(200, renderDebug(outcome, mod));
      return textResult(200, renderExposition(sortedFamilies(outcome)), EXPOSITION_CONTENT_TYPE);
    } catch (err) {
      return refuse(err, true);
    }
  }

  async function adHocRun(req: RouteRequest) {
    if (!runRequest.Check(req.body)) {
      const first = runRequest.Errors(req.body)[0];
      throw new PulseError('PULSE_BAD_REQUEST', `body${first ? `${first.instancePath} ${first.message}` : ' does not match the schema'}`);
    }
    requireClientCertificate(req.raw.socket as TLSSocket);
    const body = req.body;
    if (body.protocol !== PROTOCOL_VERSION) {
      throw new PulseError('PULSE_PROTOCOL_MISMATCH', `this exporter speaks protocol ${PROTOCOL_VERSION}, request has ${body.protocol}`);
    }
    let mod: Module;
    let label: string;
    if (body.module !== undefined) {
      const configured = configuredModule(state, body.module);
      if (!configured) throw new PulseError('PULSE_UNKNOWN_MODULE', `Unknown module "${body.module}"`);
      if (configured.prober !== body.type) {
        throw new PulseError('PULSE_BAD_OPTIONS', `module "${body.module}" runs the ${configured.prober} prober, not ${body.type}`);
      }
      mod = configured;
      label = body.module;
    } else {
      await loadCelFor(body.options);
      mod = adHocModule(body.type, body.options ?? {});
      label = `adhoc_${body.type}`;
    }
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
  }

  // With --workers, any worker may answer the scrape: it asks the primary for all workers' sums.
  const merged = workerMetrics(metrics.registry);
  async function selfMetrics() {
    const m = merged ? await merged() : { text: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
    return textResult(200, m.text, m.contentType);
  }

  async function reload(): Promise<void> {
    if (!opts.configFile) throw new PulseError('PULSE_BAD_REQUEST', 'no config file to reload from (started without --config)');
    try {
      const config = await loadConfigFile(opts.configFile);
      const next = await buildState(config, probers);
      state = next;
      publishAvailability(state);
      metrics.reloadOk.set(1);
      metrics.reloadTime.set(Date.now() / 1000);
      log.info({ modules: Object.keys(config.modules).length }, 'config reloaded');
    } catch (err) {
      metrics.reloadOk.set(0);
      log.error({ err: (err as Error).message }, 'config reload failed; keeping the previous config');
      throw err;
    }
  }

  async function reloadRoute() {
    try {
      await reload();
      return textResult(200, 'OK\n', 'text/plain');
    } catch (err) {
      const msg = err instanceof ConfigError || isPulseError(err) ? err.message : String(err);
      return textResult(500, `failed to reload config: ${msg}\n`);
    }
  }

  const index = () =>
    textResult(
      200,
      `<html><head><title>Pulse exporter</title></head><body><h1>Pulse exporter</h1><ul><li><a href="/metrics">/metrics</a></li><li>/probe?module=&lt;module&gt;&amp;target=&lt;target&gt;</li></ul><p>Modules: ${Object.keys(
        state.config.modules,
      )
        .map(escapeHtml)
        .join(', ')}</p><p>Timeout offset ${formatDuration(parseDuration(state.config.exporter.timeout_offset))}.</p></body></html>`,
      INDEX_CONTENT_TYPE,
    );

  const page = (p: PageAnswer) => textResult(p.status, p.body, p.contentType);

  // Every route of the exporter, in one table: a new route is one more line here.
  const routes: Route[] = [
    { method: 'GET', path: '/probe', handler: probe },
    { method: 'POST', path: '/api/v1/run', body: 'json', handler: adHocRun },
    { method: 'GET', path: '/metrics', handler: selfMetrics },
    { method: 'GET', path: '/-/healthy', handler: () => textResult(200, 'Healthy\n', 'text/plain') },
    { method: 'POST', path: '/-/reload', handler: reloadRoute },
    { method: 'GET', path: '/logs', handler: (req) => page(logsPage(history, req.query as Record<string, unknown>)) },
    { method: 'GET', path: '/config', handler: () => page(configPage(state.config.modules)) },
    { method: 'GET', path: '/', handler: index },
  ];
  const handle = createListener(routes, log);
  const app = createApp(handle, log, serverTls(opts.config));
  return { app, handle, state: () => state, reload };
}

/** Mutual TLS for the exporter's port when exporter.tls is set: only the Pulse CA's certificates. */
function serverTls(config: ResolvedConfig) {
  const tls = config.exporter.tls;
  if (!tls) return undefined;
  return {
    key: readFileSync(tls.key_file),
    cert: readFileSync(tls.cert_file),
    ca: readFileSync(tls.client_ca_file),
    requestCert: true,
    rejectUnauthorized: true,
  };
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
