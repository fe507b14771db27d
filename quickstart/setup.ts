import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { caFiles, certFiles, initCa, issueFiles } from '../lib/pki.js';

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

export const QUICKSTART_AGENT = 'local';
export const QUICKSTART_CLIENT = 'admin';
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

export interface QuickstartFiles {
  certDir: string;
  configFile: string;
  created: string[];
}

/** First run: a dev CA with hub, agent and client certificates, and a config; later runs reuse them. */
export async function ensureQuickstartFiles(dir: string, ports: { hub: number; agents: number; exporter: number }): Promise<QuickstartFiles> {
  const certDir = join(dir, 'certs');
  const created: string[] = [];
  await mkdir(dir, { recursive: true });
  if (!(await exists(caFiles(certDir).certFile))) {
    await initCa(certDir, { name: 'Pulse dev CA' });
    created.push(caFiles(certDir).certFile);
  }
  const wanted = [
    { kind: 'server' as const, name: 'hub', hosts: LOOPBACK },
    { kind: 'agent' as const, name: QUICKSTART_AGENT, hosts: LOOPBACK },
    { kind: 'client' as const, name: QUICKSTART_CLIENT, hosts: [] },
  ];
  for (const c of wanted) {
    if (await exists(certFiles(certDir, c.name).certFile)) continue;
    await issueFiles(certDir, { kind: c.kind, name: c.name, hosts: c.hosts });
    created.push(certFiles(certDir, c.name).certFile);
  }
  const configFile = join(dir, 'pulse.yml');
  if (!(await exists(configFile))) {
    await writeFile(configFile, quickstartConfig(certDir, dir, ports));
    created.push(configFile);
  }
  return { certDir, configFile, created };
}

/** The dev config: one file for the hub and the local exporter, loopback only. */
export function quickstartConfig(certDir: string, dataDir: string, ports: { hub: number; agents: number; exporter: number }): string {
  const c = (name: string) => JSON.stringify(join(certDir, name));
  return `# Written by "npm start" for a local try-out. Hub and exporter share it; see README.md.
modules:
  http_2xx:
    prober: http
    timeout: 5s
  tcp_connect:
    prober: tcp
    timeout: 5s

exporter:
  listen: 127.0.0.1:${ports.exporter}
  labels:
    site: local
  tls:
    cert_file: ${c(`${QUICKSTART_AGENT}.crt`)}
    key_file: ${c(`${QUICKSTART_AGENT}.key`)}
    client_ca_file: ${c('ca.crt')}
  hub:
    url: https://127.0.0.1:${ports.agents}
    ca_file: ${c('ca.crt')}
    cert_file: ${c(`${QUICKSTART_AGENT}.crt`)}
    key_file: ${c(`${QUICKSTART_AGENT}.key`)}
    heartbeat_interval: 5s

hub:
  listen: 127.0.0.1:${ports.hub}
  agent_listen: 127.0.0.1:${ports.agents}
  data_dir: ${JSON.stringify(dataDir)}
  agent_tls:
    cert_file: ${c('hub.crt')}
    key_file: ${c('hub.key')}
    ca_file: ${c('ca.crt')}

targets:
  - name: hub_health
    module: http_2xx
    targets: ["http://127.0.0.1:${ports.hub}/-/healthy"]
`;
}
