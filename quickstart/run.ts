import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfigFile } from '../lib/config/load.js';
import { formatHostPort, parseListen } from '../lib/listen.js';
import { type HubClient, startHubClient } from '../exporter/hub-client.js';
import { buildExporter, type Exporter } from '../exporter/server.js';
import { buildHub, type Hub } from '../hub/server.js';
import { ensureQuickstartFiles, QUICKSTART_CLIENT } from './setup.js';

export interface QuickstartOptions {
  /** Where certificates, config and registry live (./data for npm start). */
  dir: string;
  /** Preferred ports; a busy port falls back to a free one, which the summary shows. */
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

/** Listens on the wanted address, or on a free port of the same host when it is taken. */
async function listenPreferred(app: FastifyInstance, addr: string): Promise<string> {
  const { host, port } = parseListen(addr);
  try {
    await app.listen({ host, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    await app.listen({ host, port: 0 });
  }
  const a = app.server.address() as AddressInfo;
  return formatHostPort(a.address, a.port);
}

/** `npm start`: a dev PKI and config on first run, then a hub and one local exporter that registers. */
export async function runQuickstart(opts: QuickstartOptions): Promise<Quickstart> {
  const ports = opts.ports ?? DEFAULT_QUICKSTART_PORTS;
  const files = await ensureQuickstartFiles(opts.dir, ports);
  const config = await loadConfigFile(files.configFile);
  const logger = { level: opts.logLevel ?? 'warn' };

  const hub = await buildHub({ config, logger });
  const agentAddr = await listenPreferred(hub.agentApp, config.hub.agent_listen);
  const hubAddr = await listenPreferred(hub.app, config.hub.listen);
  const hubUrl = `http://${hubAddr}`;

  // The exporter follows the hub wherever it ended up listening.
  if (config.exporter.hub) config.exporter.hub.url = `https://${agentAddr}`;
  const exporter = await buildExporter({ config, configFile: files.configFile, logger });
  const exporterAddr = await listenPreferred(exporter.app, config.exporter.listen);
  const exporterUrl = `https://${exporterAddr}`;
  const hubClient = startHubClient(exporter, exporter.app.server.address(), exporter.app.log);
  if (!hubClient) throw new Error(`${files.configFile} has no exporter.hub section`);
  const first = await hubClient.announceNow();
  if (!first.ok) throw new Error(`the local exporter could not register with the hub: ${first.reason}`);

  const cert = (n: string) => `${files.certDir}/${n}`;
  const summary = [
    files.created.length > 0 ? `First run: created ${files.created.join(', ')}` : `Using ${files.configFile} and the certificates in ${files.certDir}`,
    '',
    'Pulse is running:',
    `  hub (users)       ${hubUrl}/          web page, API, /sd, /metrics`,
    `  hub (agents)      https://${agentAddr}   mutual TLS, Pulse CA only`,
    `  exporter "${first.name}"  ${exporterUrl}   registered with the hub`,
    '',
    'Try:',
    `  curl -s ${hubUrl}/agents/`,
    `  curl -s -H 'Content-Type: application/json' -d '{"type":"tcp","target":"${hubAddr}"}' ${hubUrl}/api/v1/measurements`,
    `  curl -s -H 'Content-Type: application/json' -H 'Accept: application/x-ndjson' -d '{"type":"http","target":"${hubUrl}/-/healthy"}' ${hubUrl}/api/v1/measurements`,
    `  curl -s ${hubUrl}/sd`,
    `  curl -s --cacert ${cert('ca.crt')} --cert ${cert(`${QUICKSTART_CLIENT}.crt`)} --key ${cert(`${QUICKSTART_CLIENT}.key`)} '${exporterUrl}/probe?module=http_2xx&target=${hubUrl}/-/healthy'`,
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
