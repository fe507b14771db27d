#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '../lib/config/errors.js';
import { loadConfigFile } from '../lib/config/load.js';
import { isPulseError } from '../lib/errors.js';
import { pulseVersion } from '../lib/version.js';
import { hubConfigProblems, hubConfigSummary } from './check-config.js';
import { buildHub } from './server.js';

const SHUTDOWN_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const program = new Command('pulse-hub')
    .description('Pulse hub: fleet registry over mutual TLS, ad-hoc tests on every agent, Prometheus service discovery')
    .version(pulseVersion())
    .option('--config <file>', 'configuration file', 'config/pulse.yml')
    .option('--listen <host:port>', 'users\' address: API, /sd, /metrics, web page (overrides hub.listen)')
    .option('--agent-listen <host:port>', 'agents\' address, mutual TLS (overrides hub.agent_listen)')
    .option('--data <dir>', 'data directory for the agent registry (overrides hub.data_dir)')
    .option('--check-config', 'validate the configuration file and exit (0 valid, 1 invalid)')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .parse();
  const opts = program.opts<{ config: string; listen?: string; agentListen?: string; data?: string; logLevel: string; checkConfig?: boolean }>();

  let config: Awaited<ReturnType<typeof loadConfigFile>>;
  try {
    config = await loadConfigFile(opts.config);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (opts.checkConfig) {
    const problems = hubConfigProblems(config);
    if (problems.length > 0) {
      process.stderr.write(`${problems.map((p) => `${opts.config}: ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${hubConfigSummary(opts.config, config)}\n`);
    return;
  }
  const hubOpts: Parameters<typeof buildHub>[0] = { config, logger: { level: opts.logLevel } };
  if (opts.listen) hubOpts.listen = opts.listen;
  if (opts.agentListen) hubOpts.agentListen = opts.agentListen;
  if (opts.data) hubOpts.dataDir = opts.data;
  const hub = await buildHub(hubOpts);
  const addr = await hub.listen();
  hub.app.log.info({ users: addr.user, agents: addr.agent }, 'hub listening');

  const stop = (signal: string) => {
    hub.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS);
    force.unref();
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  const msg = isPulseError(err) ? err.message : ((err as Error).message ?? String(err));
  process.stderr.write(`pulse-hub: ${msg}\n`);
  process.exit(1);
});
