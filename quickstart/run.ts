import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_HUB } from '../cli/context.js';
import { loadConfigFile } from '../lib/config/load.js';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { formatHostPort, parseListen } from '../lib/listen.js';
import { type HubClient, startHubClient } from '../exporter/hub-client.js';
import type { ExporterApp } from '../exporter/http/app.js';
import { buildExporter, type Exporter } from '../exporter/server.js';
import { buildHub, type Hub } from '../hub/server.js';
import { choosePorts, type QuickstartPorts } from './ports.js';
import { ensureQuickstartFiles, QUICKSTART_CLIENT, quickstartConfig } from './setup.js';
import { ensureAdminToken } from './token.js';

export interface QuickstartOptions {
  /** Where certificates, config and registry live (./data for npm start). */
  dir: string;
  /** Preferred ports on first run; a busy port is replaced by a free one in the config file too. */
  ports?: { hub: number; agents: number; exporter: number };
  logLevel?: string;
}

export interface Quickstart {
  hub: Hub;
  exporter: Exporter;
  hubClient: HubClient;
  hubUrl: string;
  exporterUrl: string;
  /** What npm start prints: where to look and what to try. */
  summary: string;
  close(): Promise<void>;
}

export const DEFAULT_QUICKSTART_PORTS = { hub: 7778, agents: 7777, exporter: 9115 };

/** Listens on the address, whose port choosePorts found free. */
async function listenOn(app: FastifyInstance | ExporterApp, addr: string): Promise<string> {
  await (app as ExporterApp).listen(parseListen(addr));
  const a = app.server.address() as AddressInfo;
  return formatHostPort(a.address, a.port);
}

function portsOf(config: ResolvedConfig): QuickstartPorts {
  return { hub: parseListen(config.hub.listen).port, agents: parseListen(config.hub.agent_listen).port, exporter: parseListen(config.exporter.listen).port };
}

/** Moves every address in a loaded config from `from` to `to` ports: listeners, the hub URL, targets. */
function movePorts(config: ResolvedConfig, from: QuickstartPorts, to: QuickstartPorts): void {
  const move = (addr: string, port: number) => formatHostPort(parseListen(addr).host, port);
  config.hub.listen = move(config.hub.listen, to.hub);
  config.hub.agent_listen = move(config.hub.agent_listen, to.agents);
  config.exporter.listen = move(config.exporter.listen, to.exporter);
  const hubAt = new RegExp(`(//(?:127\\.0\\.0\\.1|localhost)):${from.hub}(?=/|$)`, 'g');
  for (const job of config.targets) job.targets = job.targets.map((t) => t.replace(hubAt, `$1:${to.hub}`));
}

/**
 * How to point the pulse CLI at this hub. Off its default port, the CLI would otherwise talk to
 * whatever else listens on 7778, so the summary says how to tell it.
 */
function cliHint(hubUrl: string, hubAddr: string): string[] {
  const env = hubUrl === DEFAULT_HUB ? [] : [`  export PULSE_HUB=${hubUrl}   # the CLI's default is ${DEFAULT_HUB}`];
  return ['The pulse CLI:', ...env, '  npx pulse agents', `  npx pulse tcp ${hubAddr}`];
}

/** `npm start`: a dev PKI and config on first run, then a hub and one local exporter that registers. */
export async function runQuickstart(opts: QuickstartOptions): Promise<Quickstart> {
  const files = await ensureQuickstartFiles(opts.dir, opts.ports ?? DEFAULT_QUICKSTART_PORTS);
  let config = await loadConfigFile(files.configFile);
  const logger = { level: opts.logLevel ?? 'warn' };

  // Busy ports are replaced before anything starts, and everywhere: a hub on 7779 with a config,
  // an exporter and a hub_health target still saying 7778 would half work.
  const inFile = portsOf(config);
  const ports = await choosePorts(parseListen(config.hub.listen).host, inFile);
  let note = '';
  if (ports.hub !== inFile.hub || ports.agents !== inFile.agents || ports.exporter !== inFile.exporter) {
    if ((await readFile(files.configFile, 'utf8')) === quickstartConfig(files.certDir, opts.dir, inFile)) {
      // Our own file, untouched: rewrite it with the ports in use.
      await writeFile(files.configFile, quickstartConfig(files.certDir, opts.dir, ports));
      config = await loadConfigFile(files.configFile);
    } else {
      movePorts(config, inFile, ports);
      note = `Ports in ${files.configFile} were busy: this run uses hub ${ports.hub}, agents ${ports.agents}, exporter ${ports.exporter} (the edited file is left as it is).`;
    }
  }

  const adminToken = await ensureAdminToken(config.hub.data_dir);
  const hub = await buildHub({ config, logger });
  const agentAddr = await listenOn(hub.agentApp, config.hub.agent_listen);
  const hubAddr = await listenOn(hub.app, config.hub.listen);
  const hubUrl = `http://${hubAddr}`;

  // The exporter follows the hub wherever it ended up listening.
  if (config.exporter.hub) config.exporter.hub.url = `https://${agentAddr}`;
  const exporter = await buildExporter({ config, configFile: files.configFile, logger });
  const exporterAddr = await listenOn(exporter.app, config.exporter.listen);
  const exporterUrl = `https://${exporterAddr}`;
  const hubClient = startHubClient(exporter, exporter.app.server.address(), exporter.app.log);
  if (!hubClient) throw new Error(`${files.configFile} has no exporter.hub section`);
  const first = await hubClient.announceNow();
  if (!first.ok) throw new Error(`the local exporter could not register with the hub: ${first.reason}`);

  const cert = (n: string) => `${files.certDir}/${n}`;
  const summary = [
    files.created.length > 0 ? `First run: created ${files.created.join(', ')}` : `Using ${files.configFile} and the certificates in ${files.certDir}`,
    ...(note ? [note] : []),
    '',
    'Pulse is running:',
    `  hub (users)       ${hubUrl}/          web page, API, /sd, /metrics`,
    `  hub (agents)      https://${agentAddr}   mutual TLS, Pulse CA only`,
    `  exporter "${first.name}"  ${exporterUrl}   registered with the hub`,
    '',
    `Admin token (in ${adminToken.file}; the hub wants one when its users' port is not on loopback):`,
    `  export PULSE_TOKEN=${adminToken.token}`,
    '',
    'Try:',
    `  curl -s ${hubUrl}/agents/`,
    `  curl -s -H 'Content-Type: application/json' -d '{"type":"tcp","target":"${hubAddr}"}' ${hubUrl}/api/v1/measurements`,
    `  curl -s -H 'Content-Type: application/json' -H 'Accept: application/x-ndjson' -d '{"type":"http","target":"${hubUrl}/-/healthy"}' ${hubUrl}/api/v1/measurements`,
    `  curl -s ${hubUrl}/sd`,
    `  curl -s --cacert ${cert('ca.crt')} --cert ${cert(`${QUICKSTART_CLIENT}.crt`)} --key ${cert(`${QUICKSTART_CLIENT}.key`)} '${exporterUrl}/probe?module=http_2xx&target=${hubUrl}/-/healthy'`,
    '',
    ...cliHint(hubUrl, hubAddr),
    '',
    'Ctrl-C stops both.',
  ].join('\n');

  return {
    hub,
    exporter,
    hubClient,
    hubUrl,
    exporterUrl,
    summary,
    async close() {
      hubClient.stop();
      await exporter.app.close();
      await hub.close();
    },
  };
}
