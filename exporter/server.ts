import { readFileSync } from 'node:fs';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError } from '../lib/config/errors.js';
import { loadConfigFile } from '../lib/config/load.js';
import type { ProberName } from '../lib/config/module.js';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { formatDuration, parseDuration } from '../lib/duration.js';
import { isPulseError, PulseError } from '../lib/errors.js';
import { workerMetrics } from './cluster-worker.js';
import { createApp, type ExporterApp } from './http/app.js';
import { createListener, type RequestListener } from './http/listener.js';
import { createLogger } from './http/logger.js';
import { type Route, textResult } from './http/routes.js';
import { probeRoutes } from './probe-routes.js';
import { defaultProbers, type ProberRegistry } from './probers/index.js';
import { createSelfMetrics, type SelfMetrics } from './self-metrics.js';
import { buildState, type ExporterState } from './state.js';
import { configPage, logsPage, type PageAnswer } from './pages.js';
import { ProbeHistory } from './probe-history.js';

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
  let state = await buildState(opts.config, probers, true);
  const history = new ProbeHistory(opts.config.exporter.history_limit);
  const publishAvailability = availabilityPublisher(metrics, probers);
  publishAvailability(state);
  state.checked.then(() => publishAvailability(state));
  metrics.reloadOk.set(1);
  metrics.reloadTime.set(Date.now() / 1000);
  const log = createLogger(opts.logger === true ? { level: 'info' } : opts.logger);
  const { probe, adHocRun } = probeRoutes({ probers, metrics, history, state: () => state });
  const { reload, reloadRoute } = reloader(opts.configFile, probers, metrics, log, (next) => {
    state = next;
    publishAvailability(state);
  });

  // With --workers, any worker may answer the scrape: it asks the primary for all workers' sums.
  const merged = workerMetrics(metrics.registry);
  async function selfMetrics() {
    const m = merged ? await merged() : { text: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
    return textResult(200, m.text, m.contentType);
  }

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
    { method: 'GET', path: '/', handler: () => indexPage(state) },
  ];
  const handle = createListener(routes, log);
  const app = createApp(handle, log, serverTls(opts.config));
  return { app, handle, state: () => state, reload };
}

/** Config reload (SIGHUP, /-/reload): a bad file keeps the running config and says why. */
function reloader(
  configFile: string | undefined,
  probers: ProberRegistry,
  metrics: SelfMetrics,
  log: FastifyBaseLogger,
  apply: (next: ExporterState) => void,
) {
  async function reload(): Promise<void> {
    if (!configFile) throw new PulseError('PULSE_BAD_REQUEST', 'no config file to reload from (started without --config)');
    try {
      const config = await loadConfigFile(configFile);
      apply(await buildState(config, probers));
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
  return { reload, reloadRoute };
}

function indexPage(state: ExporterState) {
  const modules = Object.keys(state.config.modules).map(escapeHtml).join(', ');
  const offset = formatDuration(parseDuration(state.config.exporter.timeout_offset));
  return textResult(
    200,
    `<html><head><title>Pulse exporter</title></head><body><h1>Pulse exporter</h1><ul><li><a href="/metrics">/metrics</a></li><li>/probe?module=&lt;module&gt;&amp;target=&lt;target&gt;</li></ul><p>Modules: ${modules}</p><p>Timeout offset ${offset}.</p></body></html>`,
    INDEX_CONTENT_TYPE,
  );
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
