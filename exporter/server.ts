import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import { adHocModule } from '../lib/config/adhoc.js';
import { ConfigError } from '../lib/config/errors.js';
import { loadConfigFile } from '../lib/config/load.js';
import type { Module, ProberName } from '../lib/config/module.js';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { formatDuration, parseDuration } from '../lib/duration.js';
import { isPulseError, PulseError } from '../lib/errors.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../lib/probe/exposition.js';
import { refusedKind } from '../lib/pki/peer.js';
import { redactUrl } from '../lib/redact.js';
import { PROTOCOL_VERSION, RunRequest, type RunResponse } from '../lib/wire.js';
import { renderDebug, sortedFamilies } from './debug.js';
import { createDeadlineSignal, executeProbe, type ProbeOutcome, type ProbeRequest, prepareProbe } from './probe.js';
import { defaultProbers, type ProberRegistry } from './probers/index.js';
import { createSelfMetrics } from './self-metrics.js';
import { buildState, type ExporterState } from './state.js';
import { metricsAsJson } from './json.js';
import { workerMetrics } from './cluster.js';
import { frameworkErrors } from '../lib/framework-errors.js';
import { REQUEST_TIMEOUT_MS, useJsonBodyParser } from '../lib/json-body.js';
import { withHostname } from './probe-hostname.js';
import { ProbeHistory } from './probe-history.js';
import { configPage, logsPage, type PageAnswer } from './pages.js';

export interface ExporterOptions {
  config: ResolvedConfig;
  /** Where `/-/reload` and SIGHUP read the config from; reload is refused without it. */
  configFile?: string;
  probers?: ProberRegistry;
  logger?: boolean | { level: string };
}

/** A Node request listener; both HTTP/1 and HTTP/2 (compatibility API) objects are served. */
export type RequestHandler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;

export interface Exporter {
  app: FastifyInstance;
  state(): ExporterState;
  reload(): Promise<void>;
  /**
   * Serves every exporter route to a request from anywhere but the exporter's own listener: the
   * dial-out tunnel hands its HTTP/2 requests here.
   */
  handle: RequestHandler;
}

const ProbeQuery = Type.Object({
  module: Type.Optional(Type.String({ maxLength: 256 })),
  target: Type.Optional(Type.String()),
  debug: Type.Optional(Type.String()),
  hostname: Type.Optional(Type.String({ maxLength: 300 })),
});

export async function buildExporter(opts: ExporterOptions): Promise<Exporter> {
  const probers = opts.probers ?? defaultProbers();
  const metrics = createSelfMetrics();
  // Compiled once: checking the query is on every scrape's path.
  const probeQuery = Compile(ProbeQuery);
  let state = await buildState(opts.config, probers);
  const history = new ProbeHistory(opts.config.exporter.history_limit);
  publishAvailability(state);
  metrics.reloadOk.set(1);
  metrics.reloadTime.set(Date.now() / 1000);

  const tls = opts.config.exporter.tls;
  const app = Fastify({
    logger: opts.logger ?? false,
    requestTimeout: REQUEST_TIMEOUT_MS,
    frameworkErrors,
    // Two log lines per scrape cost CPU on the /probe hot path and bury real problems at scrape
    // rates; blackbox_exporter does not log successful probes either. --log-level debug keeps them.
    logController: new LogController({ disableRequestLogging: !(typeof opts.logger === 'object' && opts.logger.level === 'debug') }),
    bodyLimit: 256 * 1024,
    ...(tls
      ? {
          https: {
            key: readFileSync(tls.key_file),
            cert: readFileSync(tls.cert_file),
            ca: readFileSync(tls.client_ca_file),
            requestCert: true,
            rejectUnauthorized: true,
          },
        }
      : {}),
  }) as unknown as FastifyInstance;

  function publishAvailability(s: ExporterState): void {
    for (const name of Object.keys(probers) as ProberName[]) {
      metrics.available.set({ prober: name }, s.unavailable.has(name) ? 0 : 1);
    }
  }

  async function run(req: ProbeRequest, moduleLabel: string): Promise<ProbeOutcome> {
    const { prober, timeoutSeconds } = prepareProbe(probers, state.config.exporter, req);
    const name = req.module.prober;
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

  function reject(reply: FastifyReply, err: unknown, asText: boolean): FastifyReply {
    if (!isPulseError(err)) throw err;
    metrics.rejected.inc({ code: err.code });
    if (err.code === 'PULSE_UNKNOWN_MODULE') metrics.moduleUnknown.inc();
    reply.code(err.status);
    if (asText) return reply.type('text/plain; charset=utf-8').send(`${err.message}\n`);
    return reply.send(err.toJSON());
  }

  useJsonBodyParser(app);
  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    if (isPulseError(err)) return reply.code(err.status).send(err.toJSON());
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    const code = status === 413 ? 'PULSE_PAYLOAD_TOO_LARGE' : status === 415 ? 'PULSE_UNSUPPORTED_MEDIA_TYPE' : status === 500 ? 'PULSE_INTERNAL' : 'PULSE_BAD_REQUEST';
    return reply.code(status).send({ error: { code, message: err.message } });
  });

  app.get('/probe', async (req: FastifyRequest, reply) => {
    const query = req.query as Record<string, unknown>;
    if (!probeQuery.Check(query)) {
      return reject(reply, new PulseError('PULSE_BAD_REQUEST', 'query parameters must appear once each (module, target, debug, hostname)'), true);
    }
    const moduleName = query.module || 'http_2xx';
    const mod = configuredModule(state, moduleName);
    try {
      if (!mod) throw new PulseError('PULSE_UNKNOWN_MODULE', `Unknown module "${moduleName}"`);
      const header = req.headers['x-prometheus-scrape-timeout-seconds'];
      const probeReq: ProbeRequest = { moduleName, module: withHostname(mod, query.hostname), target: query.target ?? '' };
      if (typeof header === 'string') probeReq.scrapeTimeoutHeader = header;
      const debug = query.debug === 'true';
      if (!debug) probeReq.metricsOnly = true;
      probeReq.fromPrometheus = true;
      const outcome = await run(probeReq, moduleName);
      history.add(moduleName, probeReq.target, outcome.success, () => renderDebug(outcome, probeReq.module));
      if (debug) return reply.type('text/plain; charset=utf-8').send(renderDebug(outcome, mod));
      return reply.type(EXPOSITION_CONTENT_TYPE).send(renderExposition(sortedFamilies(outcome)));
    } catch (err) {
      return reject(reply, err, true);
    }
  });

  app.post('/api/v1/run', { schema: { body: RunRequest } }, async (req) => {
    requireClientCertificate(req);
    const body = req.body as RunRequest;
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
      return res;
    } catch (err) {
      if (isPulseError(err)) metrics.rejected.inc({ code: err.code });
      throw err;
    }
  });

  // With --workers, any worker may answer the scrape: it asks the primary for all workers' sums.
  const merged = workerMetrics(metrics.registry);
  app.get('/metrics', async (_req, reply) => {
    if (merged) {
      const m = await merged();
      return reply.type(m.contentType).send(m.text);
    }
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain').send('Healthy\n'));

  async function reload(): Promise<void> {
    if (!opts.configFile) throw new PulseError('PULSE_BAD_REQUEST', 'no config file to reload from (started without --config)');
    try {
      const config = await loadConfigFile(opts.configFile);
      const next = await buildState(config, probers);
      state = next;
      publishAvailability(state);
      metrics.reloadOk.set(1);
      metrics.reloadTime.set(Date.now() / 1000);
      app.log.info({ modules: Object.keys(config.modules).length }, 'config reloaded');
    } catch (err) {
      metrics.reloadOk.set(0);
      app.log.error({ err: (err as Error).message }, 'config reload failed; keeping the previous config');
      throw err;
    }
  }

  app.post('/-/reload', async (_req, reply) => {
    try {
      await reload();
      return reply.type('text/plain').send('OK\n');
    } catch (err) {
      const msg = err instanceof ConfigError || isPulseError(err) ? err.message : String(err);
      return reply.code(500).type('text/plain; charset=utf-8').send(`failed to reload config: ${msg}\n`);
    }
  });

  const page = (reply: FastifyReply, p: PageAnswer) => reply.code(p.status).type(p.contentType).send(p.body);
  app.get('/logs', async (req, reply) => page(reply, logsPage(history, req.query as Record<string, unknown>)));
  app.get('/config', async (_req, reply) => page(reply, configPage(state.config.modules)));

  app.get('/', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        `<html><head><title>Pulse exporter</title></head><body><h1>Pulse exporter</h1><ul><li><a href="/metrics">/metrics</a></li><li>/probe?module=&lt;module&gt;&amp;target=&lt;target&gt;</li></ul><p>Modules: ${Object.keys(
          state.config.modules,
        )
          .map(escapeHtml)
          .join(', ')}</p><p>Timeout offset ${formatDuration(parseDuration(state.config.exporter.timeout_offset))}.</p></body></html>`,
      ),
  );

  // Routing needs a ready app; the first request through handle() makes it so (listen() does too).
  let ready: Promise<void> | undefined;
  const handle: RequestHandler = (req, res) => {
    ready ??= new Promise<void>((resolve, reject) => app.ready((err) => (err ? reject(err) : resolve())));
    ready.then(
      () => app.routing(req as IncomingMessage, res as ServerResponse),
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  };

  return { app, state: () => state, reload, handle };
}

/** Own keys only: `module=constructor` must be an unknown module, not Object's prototype. */
function configuredModule(state: ExporterState, name: string): Module | undefined {
  const modules = state.config.modules;
  return Object.hasOwn(modules, name) ? modules[name] : undefined;
}

function requireClientCertificate(req: FastifyRequest): void {
  const socket = req.raw.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function') {
    throw new PulseError('PULSE_FORBIDDEN', 'ad-hoc tests need mutual TLS: set exporter.tls in the config');
  }
  if (!socket.authorized) throw new PulseError('PULSE_UNAUTHENTICATED', 'a client certificate from the Pulse CA is required');
  // Prometheus (client) and other agents share the CA but must not run tests here: only the hub (server).
  const kind = refusedKind(socket.getPeerCertificate(), ['client', 'agent']);
  if (kind) throw new PulseError('PULSE_FORBIDDEN', `a ${kind} certificate may not run ad-hoc tests; only the hub's may`);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
