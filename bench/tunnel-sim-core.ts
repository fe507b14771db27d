import { readFile } from 'node:fs/promises';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { type Backoff, DEFAULT_BACKOFF } from '../exporter/tunnel/backoff.js';
import { startTunnel, type TunnelClient } from '../exporter/tunnel/client.js';
import { TUNNEL_ANNOUNCEMENT_PATH } from '../lib/tunnel.js';
import { PROTOCOL_VERSION } from '../lib/wire.js';
import { answerRun, type CachedAnswer, type SimStats } from './agent-sim-core.js';

export interface SimTunnelAgent {
  name: string;
  certFile: string;
  keyFile: string;
}

export interface SimTunnels {
  clients: TunnelClient[];
  stats: SimStats;
  /** Date.now() of every tunnel coming up, in order (reconnects included). */
  ups: number[];
  stop(): Promise<void>;
}

/**
 * Simulated dial-out agents in one process: each keeps a real tunnel (the exporter's own tunnel
 * client, TLS with its own certificate) and answers its announcement, /api/v1/run after
 * `delayMs`, and /probe with a small exposition, without running probes.
 */
export async function startSimTunnels(opts: {
  agents: SimTunnelAgent[];
  caFile: string;
  hubAgentUrl: string;
  delayMs: number;
  keepaliveMs?: number;
  backoff?: Backoff;
  labels?: Record<string, string>;
}): Promise<SimTunnels> {
  const ca = await readFile(opts.caFile);
  const stats: SimStats = { calls: 0, firstCallAt: 0, lastAnswerAt: 0 };
  const ups: number[] = [];
  const quiet = { info: () => undefined, warn: () => undefined };
  const clients: TunnelClient[] = [];
  const answers = new Map<string, CachedAnswer>();
  for (const [i, agent] of opts.agents.entries()) {
    const announcement = JSON.stringify({
      protocol: PROTOCOL_VERSION,
      url: 'https://0.0.0.0:9115',
      labels: { ...opts.labels, shard: String(i % 10) },
      probers: ['http', 'tcp', 'dns', 'icmp'],
      ip_versions: [4],
      version: 'bench',
    });
    const handler = (req: Http2ServerRequest, res: Http2ServerResponse) => {
      if (req.url === TUNNEL_ANNOUNCEMENT_PATH) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(announcement);
        return;
      }
      if (req.method === 'POST' && req.url === '/api/v1/run') {
        answerRun(req, res, stats, opts.delayMs, answers);
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"PULSE_NOT_FOUND","message":"not here"}}');
    };
    clients.push(
      startTunnel({
        url: opts.hubAgentUrl,
        tls: { ca, cert: await readFile(agent.certFile), key: await readFile(agent.keyFile) },
        handler,
        keepaliveMs: opts.keepaliveMs ?? 15_000,
        log: quiet,
        backoff: opts.backoff ?? DEFAULT_BACKOFF,
        onUp: () => ups.push(Date.now()),
      }),
    );
  }
  return {
    clients,
    stats,
    ups,
    async stop() {
      await Promise.all(clients.map((c) => c.stop()));
    },
  };
}
