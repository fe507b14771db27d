#!/usr/bin/env node
import { ConfigError } from '../lib/config/errors.js';
import { loadConfigFile } from '../lib/config/load.js';
import { parseListen } from '../lib/listen.js';
import { pulseVersion } from '../lib/version.js';
import { parseExporterArgs } from './args.js';
import { isClusterWorker, workerIndex } from './cluster-worker.js';

const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const parsed = parseExporterArgs(process.argv.slice(2), pulseVersion());
  if (parsed.kind === 'print') {
    process.stdout.write(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`pulse-exporter: ${parsed.message}\n`);
    process.exit(1);
  }
  const opts = parsed.args;
  // The primary forwards SIGHUP to every worker; one still starting must not die of it.
  if (isClusterWorker()) process.on('SIGHUP', () => undefined);

  let config: Awaited<ReturnType<typeof loadConfigFile>>;
  try {
    config = await loadConfigFile(opts.config);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (opts.checkConfig) {
    process.stdout.write(`${opts.config}: OK (${Object.keys(config.modules).length} modules)\n`);
    return;
  }
  if (opts.workers > 1 && !isClusterWorker()) {
    // node:cluster and prom-client's aggregator are loaded only by a primary.
    const { runPrimary } = await import('./cluster.js');
    const code = await runPrimary(opts.workers, (msg) => process.stderr.write(`pulse-exporter: ${msg}\n`));
    process.exit(code);
  }
  // Loaded only here so that a --workers primary, which never probes, stays small.
  const { buildExporter } = await import('./server.js');
  const listenAddr = opts.listen ?? config.exporter.listen;
  const { host, port } = parseListen(listenAddr);
  const exporter = await buildExporter({ config, configFile: opts.config, logger: { level: opts.logLevel } });
  const { app } = exporter;
  if (!config.exporter.tls && config.exporter.hub?.mode !== 'dial-out') {
    app.log.warn('exporter.tls is not set: serving plain HTTP without client certificates; the hub cannot run ad-hoc tests here');
  }
  await app.listen({ host, port });
  // One registration per exporter, not per worker. The hub client (and undici with it) is loaded
  // only when there is a hub to register with: it is memory an exporter without one never uses.
  // In dial-out mode the tunnel replaces registration over HTTPS, and is loaded only then.
  const hubSettings = workerIndex() === 0 ? config.exporter.hub : undefined;
  // The announcement lists the probers that can run here: every one checked, not only the configured.
  if (hubSettings) await exporter.state().checked;
  const hub = !hubSettings
    ? undefined
    : hubSettings.mode === 'dial-out'
      ? (await import('./tunnel/dial-out.js')).startDialOut(exporter, app.server.address(), app.log)
      : (await import('./hub-client.js')).startHubClient(exporter, app.server.address(), app.log);

  process.on('SIGHUP', () => {
    exporter.reload().catch(() => undefined);
  });
  const stop = (signal: string) => {
    app.log.info({ signal }, 'shutting down: no new probes, waiting for running ones');
    hub?.stop();
    const force = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`pulse-exporter: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
