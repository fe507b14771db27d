import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../lib/config/load.js';
import { initCa, issueFiles } from '../../lib/pki.js';
import { type HubClient, startHubClient } from '../../exporter/hub-client.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { type PulseProcess, startBinary } from './spawn.js';

export const HUB_BIN = join(import.meta.dirname, '../../dist/hub/main.js');

/** Certificates for hub processes and in-process exporters, from Pulse's own PKI. */
export interface ProcessPki {
  dir: string;
  caFile: string;
  hub: { certFile: string; keyFile: string };
  cleanup(): Promise<void>;
}

export async function makeProcessPki(): Promise<ProcessPki> {
  const dir = await mkdtemp(join(tmpdir(), 'p14-hubs-'));
  const certDir = join(dir, 'certs');
  await initCa(certDir, { name: 'Pulse hub process test CA' });
  const hub = await issueFiles(certDir, { kind: 'server', name: 'hub', hosts: ['localhost', '127.0.0.1'] });
  return { dir, caFile: join(certDir, 'ca.crt'), hub, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface HubProcess {
  proc: PulseProcess;
  /** http://HOST:PORT */
  userUrl: string;
  /** https://HOST:PORT */
  agentUrl: string;
  /** HOST:PORT of each, to restart on the same ports. */
  listen: { user: string; agent: string };
  output(): string;
  /** Sends the signal and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Writes a config file (JSON is YAML) for a hub process and returns its path. */
export async function writeHubConfig(pki: ProcessPki, name: string, hub: Record<string, unknown>, top: Record<string, unknown> = {}): Promise<string> {
  const file = join(pki.dir, `${name}.yml`);
  const config = {
    ...top,
    hub: {
      listen: '127.0.0.1:0',
      agent_listen: '127.0.0.1:0',
      data_dir: join(pki.dir, `${name}-data`),
      agent_tls: { cert_file: pki.hub.certFile, key_file: pki.hub.keyFile, ca_file: pki.caFile },
      ...hub,
    },
  };
  await writeFile(file, JSON.stringify(config));
  return file;
}

/** Starts dist/hub/main.js and resolves once both ports listen. */
export async function startHubProcess(configFile: string, listen?: { user: string; agent: string }): Promise<HubProcess> {
  const args = ['--config', configFile, ...(listen ? ['--listen', listen.user, '--agent-listen', listen.agent] : [])];
  const { proc, output } = await startBinary(HUB_BIN, args, { match: /"msg":"hub listening"/, readyMs: 60_000 });
  // The match above is the whole line; the addresses are fields of it.
  const line = output().split('\n').find((l) => l.includes('"hub listening"'))!;
  const { users, agents } = JSON.parse(line) as { users: string; agents: string };
  return {
    proc,
    userUrl: `http://${users}`,
    agentUrl: `https://${agents}`,
    listen: { user: users, agent: agents },
    output,
    async stop(signal) {
      proc.kill(signal);
      await proc;
    },
  };
}

export interface ProcessAgent {
  name: string;
  exporter: Exporter;
  client: HubClient;
  close(): Promise<void>;
}

/** A real exporter in this process that registers with the hub at `agentUrl` and heartbeats every second. */
export async function startAgent(pki: ProcessPki, name: string, agentUrl: string, labels: Record<string, string> = {}): Promise<ProcessAgent> {
  const files = await issueFiles(join(pki.dir, 'certs'), { kind: 'agent', name, hosts: ['localhost', '127.0.0.1'] });
  const config = resolveConfig({
    exporter: {
      listen: '127.0.0.1:0',
      labels,
      tls: { cert_file: files.certFile, key_file: files.keyFile, client_ca_file: pki.caFile },
      hub: { url: agentUrl, ca_file: pki.caFile, cert_file: files.certFile, key_file: files.keyFile, heartbeat_interval: '1s' },
    },
  });
  const exporter = await buildExporter({ config });
  await exporter.app.listen({ host: '127.0.0.1', port: 0 });
  const client = startHubClient(exporter, exporter.app.server.address() as AddressInfo, exporter.app.log)!;
  return {
    name,
    exporter,
    client,
    async close() {
      client.stop();
      exporter.app.server.closeAllConnections();
      await exporter.app.close().catch(() => undefined);
    },
  };
}

/** Polls until `check` returns a value (not undefined) or `ms` pass. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`${what} not met within ${ms}ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
