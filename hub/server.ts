import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { HubSettings } from '../lib/config/hub.js';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { parseDuration } from '../lib/duration.js';
import { PulseError } from '../lib/errors.js';
import { installClientErrors, urlTooLong } from '../lib/client-errors.js';
import { frameworkErrors } from '../lib/framework-errors.js';
import { REQUEST_TIMEOUT_MS } from '../lib/json-body.js';
import { formatHostPort, parseListen } from '../lib/listen.js';
import { defaultProbers, type ProberRegistry } from '../exporter/probers/index.js';
import { AgentCaller } from './agent-client.js';
import { AGENT_PORT_ALPN, divertTunnels } from './links/divert.js';
import { shareLinks } from './links/redis/share.js';
import { LinkRouter } from './links/router.js';
import { Tunnels } from './links/tunnels.js';
import type { AgentLinks } from './links/types.js';
import { agentNetworkLookup } from './asn/agent-network.js';
import type { AsnDbStore } from './asn/asndb-store.js';
import { buildAsnService } from './asn/build.js';
import { rowEnricher } from './asn/enrich.js';
import { asnRoutes } from './asn/routes.js';
import type { AsnService } from './asn/service.js';
import { MeasurementStore } from './measurements.js';
import { createHubMetrics, type HubMetrics } from './metrics.js';
import { ConcurrencyQueue } from './queue.js';
import { Registry } from './registry.js';
import { RateLimiter } from './rate/limiter.js';
import { RunningLimit } from './running.js';
import { createOperationMetrics } from './operations/metrics.js';
import type { LiveOperation } from './operations/operation.js';
import { agentRoutes } from './routes/agent.js';
import type { RouteRecord } from './auth/enforce.js';
import { setUpAuth } from './auth/setup.js';
import { agentAdminRoutes, forgetSilentAgents } from './routes/agents-admin.js';
import { installErrorHandlers, requireJsonBodies } from './routes/errors.js';
import { operationRoutes } from './routes/operations.js';
import { relayRoutes } from './routes/relay.js';
import { userRoutes } from './routes/user.js';
import { historyRoutes } from './routes/history.js';
import { openStores } from './store/open.js';
import { SharedRuns } from './store/redis/running.js';
import type { CounterStore, ResultStore } from './store/results.js';
import { registerUi } from './ui/serve.js';
import type { AgentStore } from './store/types.js';

export interface HubOptions {
  config: ResolvedConfig;
  /** Overrides hub.data_dir. */
  dataDir?: string;
  /** Overrides hub.listen / hub.agent_listen (HOST:PORT; port 0 for tests). */
  listen?: string;
  agentListen?: string;
  /** Used to validate targets before fanning out; defaults to the exporter's probers. */
  probers?: Partial<ProberRegistry>;
  /** Defaults to the JSON file store under the data directory. */
  store?: AgentStore;
  /** Defaults to hub.store (the embedded log under the data directory); in memory when `store` is given. */
  results?: ResultStore & CounterStore;
  logger?: boolean | { level: string };
  /** The built web page; defaults to hub/ui/dist. */
  uiDir?: string;
  /** Where the operator's asndb lives; defaults to asndb.json under the data directory. */
  asnStore?: AsnDbStore;
}

export interface Hub {
  /** Users: API, /sd, /metrics, web page. */
  app: FastifyInstance;
  /** Agents: registration and heartbeats over mutual TLS. */
  agentApp: FastifyInstance;
  registry: Registry;
  /** How agents are reached (direct calls, or the tunnels dial-out agents keep open). */
  links: AgentLinks;
  tunnels: Tunnels;
  metrics: HubMetrics;
  measurements: MeasurementStore;
  /** Host-check operations by handle, kept like measurements. */
  operations: MeasurementStore<LiveOperation>;
  /** Whether the users' port requires a token or client certificate (hub.auth). */
  authRequired: boolean;
  /** Every users' port route with the scope it declared. */
  routes: RouteRecord[];
  /** Finished measurements and operations, kept for hub.retention; also rate counters. */
  results: ResultStore & CounterStore;
  /** ASN lookups (offline table, Cymru, mmdb files, the operator's asndb). */
  asn: AsnService;
  /** Starts both listeners; returns their addresses as HOST:PORT. */
  listen(): Promise<{ user: string; agent: string }>;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

/** Builds the hub: two Fastify apps, not listening yet. */
export async function buildHub(opts: HubOptions): Promise<Hub> {
  const settings = opts.config.hub;
  const { ca, cert, key } = agentTlsFiles(settings);
  const dataDir = opts.dataDir ?? settings.data_dir;
  const { agents: store, results, shared: sharedStore } = await openStores(settings, dataDir, { ...(opts.store ? { agents: opts.store } : {}), ...(opts.results ? { results: opts.results } : {}) });
  const inactiveAfterSeconds = parseDuration(settings.agent_inactive_after);
  const registry = new Registry(store, inactiveAfterSeconds * 1000);
  await registry.init();
  const metrics = createHubMetrics(() => registry.list());
  const sharedRuns = sharedStore ? new SharedRuns(sharedStore.redis, sharedStore.prefix, sharedStore.where, { warn: (o, m) => app.log.warn(o, m) }) : undefined;
  const measurements = new MeasurementStore(parseDuration(settings.measurement_ttl) * 1000, settings.max_measurements, Date.now, undefined, sharedRuns && ((live) => sharedRuns.share(live)));
  const operations = new MeasurementStore<LiveOperation>(parseDuration(settings.measurement_ttl) * 1000, settings.max_measurements, Date.now, (live) =>
    void results.putOperation(live.view()).catch((err: unknown) => app.log.error({ err, operation: live.handle }, 'storing the operation failed')),
  );
  const heartbeatIntervalSeconds = Math.max(1, inactiveAfterSeconds / 3);
  // The agents' app logs; it exists only further down, so tunnels log through this indirection.
  const tunnelLog = { info: (o: object, m: string) => agentApp.log.info(o, m), warn: (o: object, m: string) => agentApp.log.warn(o, m) };
  const tunnels = new Tunnels({
    registry,
    metrics,
    log: tunnelLog,
    keepaliveMs: parseDuration(settings.tunnel_keepalive) * 1000,
    announceIntervalMs: heartbeatIntervalSeconds * 1000,
  });
  const caller = new AgentCaller({ ca, cert, key });
  // One queue per replica: its own fan-outs and the calls it serves for other replicas share it.
  const queue = new ConcurrencyQueue(settings.fanout_concurrency);
  const shared = sharedStore ? shareLinks(sharedStore, new LinkRouter(caller, tunnels), tunnels, registry, tunnelLog, queue) : undefined;
  const links: AgentLinks = shared ?? new LinkRouter(caller, tunnels);
  const asn = await buildAsnService(settings.asn, dataDir, opts.asnStore);

  const app = createUserApp(opts, settings.tls);
  const userListen = parseListen(opts.listen ?? settings.listen);
  // Before any route: the scope check sees every route added after it, whoever adds it.
  const auth = await setUpAuth(app, { auth: settings.auth, dataDir, listenHost: userListen.host, metrics: metrics.registry });
  installErrorHandlers(app);
  requireJsonBodies(app);
  addUserPortRoutes(app, opts, { registry, measurements, operations, links, results, sharedRuns, metrics, asn, queue });
  const stopForgetting = forgetSilentAgents(registry, parseDuration(settings.agent_forget_after) * 1000, app.log);
  registerUi(app, opts.uiDir ? { dir: opts.uiDir } : {});

  const agentApp = createAgentApp(opts, { key, cert, ca }, tunnels);
  installErrorHandlers(agentApp);
  requireJsonBodies(agentApp);
  agentRoutes(agentApp, { registry, metrics, heartbeatIntervalSeconds, identify: agentNetworkLookup(registry, asn, agentApp.log) });

  const agentListen = parseListen(opts.agentListen ?? settings.agent_listen);
  return {
    app,
    agentApp,
    registry,
    links,
    tunnels,
    metrics,
    measurements,
    operations,
    authRequired: auth.required,
    routes: auth.routes,
    results,
    asn,
    async listen() {
      await shared?.start();
      await agentApp.listen(agentListen);
      await app.listen(userListen);
      return { user: addressOf(app), agent: addressOf(agentApp) };
    },
    async close() {
      stopForgetting();
      measurements.close();
      operations.close();
      // Tunnels first: the agents' server waits for every open connection before it closes.
      await tunnels.close();
      await Promise.allSettled([app.close(), agentApp.close()]);
      await links.close();
      await sharedRuns?.close();
      await store.close();
      await results.close();
    },
  };
}

/** hub.agent_tls, read: the agents' port serves it, and the hub presents it when calling agents. */
function agentTlsFiles(settings: HubSettings): { ca: Buffer; cert: Buffer; key: Buffer } {
  const agentTls = settings.agent_tls;
  if (!agentTls) {
    throw new PulseError('PULSE_CONFIG_INVALID', 'hub.agent_tls {cert_file, key_file, ca_file} is required: agents talk to the hub over mutual TLS');
  }
  return { ca: readFileSync(agentTls.ca_file), cert: readFileSync(agentTls.cert_file), key: readFileSync(agentTls.key_file) };
}

/** What both ports' Fastify apps share. */
function commonAppOptions(opts: HubOptions) {
  // A request line per call buries what matters (refusals, failures) at info: every agent
  // heartbeats and Prometheus polls /sd. --log-level debug brings them back.
  const debug = typeof opts.logger === 'object' && opts.logger.level === 'debug';
  return {
    logger: opts.logger ?? false,
    logController: new LogController({ disableRequestLogging: !debug }),
    bodyLimit: BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    frameworkErrors,
  };
}

/** The users' app (plain HTTP, or HTTPS with hub.tls), refusing over-long URLs before anything else. */
function createUserApp(opts: HubOptions, userTls: HubSettings['tls']): FastifyInstance {
  const app = Fastify({
    ...commonAppOptions(opts),
    ...(userTls
      ? {
          https: {
            key: readFileSync(userTls.key_file),
            cert: readFileSync(userTls.cert_file),
            ...(userTls.client_ca_file ? { ca: readFileSync(userTls.client_ca_file), requestCert: true, rejectUnauthorized: true } : {}),
          },
        }
      : {}),
  }) as unknown as FastifyInstance;
  installClientErrors(app.server);
  // Before the scope check: a URL too long is refused as that, whatever the route.
  app.addHook('onRequest', async (req) => {
    const long = urlTooLong(req.url);
    if (long) throw long;
  });
  return app;
}

/** The agents' app: mutual TLS, and connections that negotiate the tunnel protocol go to `tunnels`. */
function createAgentApp(opts: HubOptions, tls: { key: Buffer; cert: Buffer; ca: Buffer }, tunnels: Tunnels): FastifyInstance {
  const agentApp = Fastify({
    ...commonAppOptions(opts),
    https: { ...tls, requestCert: true, rejectUnauthorized: true, ALPNProtocols: AGENT_PORT_ALPN },
  }) as unknown as FastifyInstance;
  installClientErrors(agentApp.server);
  divertTunnels(agentApp.server as unknown as TlsServer, (socket) => tunnels.accept(socket));
  return agentApp;
}

/** The parts of the hub the users' port routes work with. */
interface UserPortParts {
  registry: Registry;
  measurements: MeasurementStore;
  operations: MeasurementStore<LiveOperation>;
  links: AgentLinks;
  results: ResultStore & CounterStore;
  sharedRuns: SharedRuns | undefined;
  metrics: HubMetrics;
  asn: AsnService;
  queue: ConcurrencyQueue;
}

/** The users' port API: tests, operations, agents, relayed scrapes, history, ASN. */
function addUserPortRoutes(app: FastifyInstance, opts: HubOptions, parts: UserPortParts): void {
  const settings = opts.config.hub;
  const { registry, links, results, metrics, queue } = parts;
  const running = new RunningLimit(settings.max_running_measurements);
  const limiter = new RateLimiter(results, settings.rate_limits);
  const probers: Partial<ProberRegistry> = opts.probers ?? defaultProbers();
  userRoutes(app, {
    registry,
    store: parts.measurements,
    links,
    results,
    sharedRuns: parts.sharedRuns,
    persist: (m) => results.putMeasurement(m),
    queue,
    metrics,
    logger: app.log,
    running,
    limiter,
    probers: (type) => probers[type] as never,
    jobs: () => opts.config.targets,
    enrichRow: rowEnricher((ip) => parts.asn.summaryOf(ip)),
  });
  operationRoutes(app, {
    registry,
    operations: parts.operations,
    links,
    results,
    queue,
    metrics,
    logger: app.log,
    running,
    limiter,
    operationMetrics: createOperationMetrics(metrics.registry),
    probers: (type) => probers[type] as never,
  });
  agentAdminRoutes(app, { registry });
  relayRoutes(app, { registry, links });
  historyRoutes(app, { results });
  asnRoutes(app, { asn: parts.asn });
}

export function addressOf(app: FastifyInstance): string {
  const a = app.server.address() as AddressInfo | string | null;
  if (!a || typeof a === 'string') return String(a);
  return formatHostPort(a.address, a.port);
}
