import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetPki } from './fleet-pki.js';
import { freePort, repoRoot, type Service, startService } from './proc.js';

export interface HubBenchConfig {
  pki: FleetPki;
  dataDir: string;
  /** Probe jobs for /sd, as the `targets:` section. */
  jobs?: Array<{ name: string; module: string; targets: string[] }>;
  /** A shared Redis store (hub replicas); the embedded store without it. */
  redis?: { url: string; prefix: string };
  /** The users' port on HTTPS, asking for client certificates from the fleet's CA (the Prometheus relay needs one). */
  userTls?: boolean;
}

/** The hub's pulse.yml for a benchmark: loopback listeners, agents kept active for the whole run. */
export function hubConfig(c: HubBenchConfig & { userPort: number; agentPort: number }): string {
  const lines = [
    'hub:',
    `  listen: 127.0.0.1:${c.userPort}`,
    `  agent_listen: 127.0.0.1:${c.agentPort}`,
    `  data_dir: ${JSON.stringify(c.dataDir)}`,
    '  agent_inactive_after: 1h',
    '  agent_tls:',
    `    cert_file: ${JSON.stringify(c.pki.hub.certFile)}`,
    `    key_file: ${JSON.stringify(c.pki.hub.keyFile)}`,
    `    ca_file: ${JSON.stringify(c.pki.caFile)}`,
  ];
  if (c.userTls) {
    lines.push('  tls:', `    cert_file: ${JSON.stringify(c.pki.hub.certFile)}`, `    key_file: ${JSON.stringify(c.pki.hub.keyFile)}`, `    client_ca_file: ${JSON.stringify(c.pki.caFile)}`);
  }
  if (c.redis) lines.push('  store:', '    kind: redis', `    url: ${JSON.stringify(c.redis.url)}`, `    key_prefix: ${JSON.stringify(c.redis.prefix)}`);
  const fanout = process.env.BENCH_HUB_FANOUT_CONCURRENCY;
  if (fanout) lines.push(`  fanout_concurrency: ${Number(fanout)}`);
  if (c.jobs && c.jobs.length > 0) {
    lines.push('targets:');
    for (const j of c.jobs) {
      lines.push(`  - name: ${j.name}`, `    module: ${j.module}`, '    targets:');
      for (const t of j.targets) lines.push(`      - ${JSON.stringify(t)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The hub as a child process (`node dist/hub/main.js`), users' port plain HTTP on loopback, or
 * HTTPS with `userTls` (then `ready` must say when it answers: startService polls plain HTTP).
 */
export async function startHub(dir: string, c: HubBenchConfig, ready?: (userUrl: string) => Promise<boolean>): Promise<Service & { agentUrl: string }> {
  const userPort = await freePort();
  const agentPort = await freePort();
  const config = join(dir, 'hub.yml');
  await writeFile(config, hubConfig({ ...c, userPort, agentPort }));
  const extra = (process.env.BENCH_HUB_ARGS ?? '').split(/\s+/).filter(Boolean);
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const svc = await startService({
    name: 'pulse-hub',
    command: process.execPath,
    args: [...nodeArgs, join(repoRoot(), 'dist', 'hub', 'main.js'), '--config', config, ...extra],
    dir,
    port: userPort,
    readyPath: '/-/healthy',
    ...(ready ? { ready: () => ready(`https://127.0.0.1:${userPort}`) } : {}),
  });
  const url = c.userTls ? `https://127.0.0.1:${userPort}` : svc.url;
  return { ...svc, url, agentUrl: `https://127.0.0.1:${agentPort}` };
}
