import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../lib/config/load.js';
import type { ProbeJob } from '../../lib/config/targets.js';
import { initCa, issueFiles } from '../../lib/pki.js';
import { type HubClient, startHubClient } from '../../exporter/hub-client.js';
import { defaultProbers, type ProberRegistry } from '../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { startDialOut } from '../../exporter/tunnel/dial-out.js';
import { buildHub, type Hub } from '../../hub/server.js';

export interface FleetAgentSpec {
  name: string;
  labels?: Record<string, string>;
  /** The exporter's probers; defaults to the fleet's. */
  probers?: ProberRegistry;
  modules?: Record<string, unknown>;
  /** Issue this agent's certificate from another CA (it must not get in). */
  foreignCa?: boolean;
  /** Extra `exporter:` settings (host_checks, limits, ...). */
  exporter?: Record<string, unknown>;
  /** exporter.hub.mode; dial-out agents keep a tunnel to the hub instead of being called. */
  mode?: 'direct' | 'dial-out';
  /** Extra `exporter.hub:` settings (proxy_url, ...). */
  hub?: Record<string, unknown>;
}

export interface FleetOptions {
  agents?: Array<string | FleetAgentSpec>;
  /** Used by every exporter (unless an agent has its own) and by the hub for target checks. */
  probers?: ProberRegistry;
  modules?: Record<string, unknown>;
  targets?: ProbeJob[];
  /** Extra `hub:` settings (agent_inactive_after, measurement_ttl, ...). */
  hub?: Record<string, unknown>;
  heartbeatInterval?: string;
  /** Serve the users' port over HTTPS requiring client certificates from the fleet's CA (hubUrl is https). */
  userTls?: boolean;
}

export interface FleetExporter {
  name: string;
  exporter: Exporter;
  /** https://127.0.0.1:PORT */
  url: string;
  client: HubClient;
  /** Drops every connection and stops listening at once, like a killed process. */
  kill(): Promise<void>;
}

export interface Fleet {
  dir: string;
  certDir: string;
  caFile: string;
  hub: Hub;
  /** http://127.0.0.1:PORT, the users' port (https with userTls). */
  hubUrl: string;
  /** https://127.0.0.1:PORT, the agents' port. */
  agentUrl: string;
  exporters: FleetExporter[];
  /** A client certificate (kind client) for calling exporters or the agent port. */
  client: { certFile: string; keyFile: string };
  addExporter(spec: string | FleetAgentSpec): Promise<FleetExporter>;
  /** Closes the hub and builds a new one on the same ports and data directory. */
  restartHub(): Promise<void>;
  /** Resolves when every named agent is listed active; rejects after `ms`. */
  waitActive(names: string[], ms?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A hub and N real exporters on 127.0.0.1 (port 0), with certificates from Pulse's own PKI
 * (`pulse certs` code path). Exporters register over mutual TLS like in production.
 */
export async function startFleet(opts: FleetOptions = {}): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-fleet-'));
  const certDir = join(dir, 'certs');
  const foreignDir = join(dir, 'foreign-ca');
  await initCa(certDir, { name: 'Pulse fleet test CA' });
  const hubCert = await issueFiles(certDir, { kind: 'server', name: 'hub', hosts: ['localhost', '127.0.0.1', '::1'] });
  const client = await issueFiles(certDir, { kind: 'client', name: 'tester' });
  const caFile = join(certDir, 'ca.crt');
  const probers = opts.probers ?? defaultProbers();
  const modules = opts.modules ?? {};

  const hubConfig = resolveConfig({
    modules,
    hub: {
      listen: '127.0.0.1:0',
      agent_listen: '127.0.0.1:0',
      data_dir: join(dir, 'hub-data'),
      agent_tls: { cert_file: hubCert.certFile, key_file: hubCert.keyFile, ca_file: caFile },
      ...(opts.userTls ? { tls: { cert_file: hubCert.certFile, key_file: hubCert.keyFile, client_ca_file: caFile } } : {}),
      ...opts.hub,
    },
    targets: opts.targets ?? [],
  });
  let hub = await buildHub({ config: hubConfig, probers });
  const addr = await hub.listen();
  const agentUrl = `https://${addr.agent}`;
  const hubUrl = `${opts.userTls ? 'https' : 'http'}://${addr.user}`;

  const exporters: FleetExporter[] = [];

  async function addExporter(raw: string | FleetAgentSpec): Promise<FleetExporter> {
    const spec = typeof raw === 'string' ? { name: raw } : raw;
    let ca = certDir;
    if (spec.foreignCa) {
      await initCa(foreignDir, { name: 'Some other CA' }).catch(() => undefined);
      ca = foreignDir;
    }
    const files = await issueFiles(ca, { kind: 'agent', name: spec.name, hosts: ['localhost', '127.0.0.1', '::1'] });
    const config = resolveConfig({
      modules: spec.modules ?? modules,
      exporter: {
        listen: '127.0.0.1:0',
        labels: spec.labels ?? {},
        tls: { cert_file: files.certFile, key_file: files.keyFile, client_ca_file: caFile },
        hub: {
          url: agentUrl,
          ca_file: caFile,
          cert_file: files.certFile,
          key_file: files.keyFile,
          heartbeat_interval: opts.heartbeatInterval ?? '1s',
          ...(spec.mode ? { mode: spec.mode } : {}),
          ...spec.hub,
        },
        ...spec.exporter,
      },
    });
    const exporter = await buildExporter({ config, probers: spec.probers ?? probers });
    await exporter.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (exporter.app.server.address() as AddressInfo).port;
    const hubClient =
      spec.mode === 'dial-out'
        ? startDialOut(exporter, exporter.app.server.address(), exporter.app.log)
        : startHubClient(exporter, exporter.app.server.address(), exporter.app.log)!;
    const fe: FleetExporter = {
      name: spec.name,
      exporter,
      url: `https://127.0.0.1:${port}`,
      client: hubClient,
      async kill() {
        hubClient.stop();
        exporter.app.server.closeAllConnections();
        await new Promise<void>((resolve) => exporter.app.server.close(() => resolve()));
      },
    };
    exporters.push(fe);
    return fe;
  }

  async function waitActive(names: string[], ms = 20_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      const active = new Set(hub.registry.list().filter((a) => a.active).map((a) => a.name));
      if (names.every((n) => active.has(n))) return;
      if (Date.now() > until) throw new Error(`agents not active within ${ms}ms: ${names.filter((n) => !active.has(n)).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  for (const a of opts.agents ?? []) await addExporter(a);
  const expected = (opts.agents ?? []).map((a) => (typeof a === 'string' ? { name: a } : a)).filter((a) => !a.foreignCa);
  await waitActive(expected.map((a) => a.name));

  const fleet: Fleet = {
    dir,
    certDir,
    caFile,
    get hub() {
      return hub;
    },
    hubUrl,
    agentUrl,
    exporters,
    client: { certFile: client.certFile, keyFile: client.keyFile },
    addExporter,
    async restartHub() {
      await hub.close();
      hub = await buildHub({ config: hubConfig, probers, listen: addr.user, agentListen: addr.agent });
      await hub.listen();
    },
    waitActive,
    async close() {
      for (const e of exporters) {
        e.client.stop();
        // Probes that never end (tests of the hub's deadline) must not hold the close up.
        e.exporter.app.server.closeAllConnections();
        await e.exporter.app.close().catch(() => undefined);
      }
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}
