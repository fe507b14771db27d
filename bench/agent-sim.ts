/**
 * Child-process entry: many simulated Pulse agents in ONE process, `node dist/bench/agent-sim.js
 * <spec.json>`. Each agent is its own mutual-TLS listener on 127.0.0.1 with its own certificate,
 * registers with the hub through the agents' API like an exporter does, and answers
 * /api/v1/run after a fixed delay. The parent asks for call statistics over IPC.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { PROTOCOL_VERSION, REGISTER_PATH } from '../lib/wire.js';
import { answerRun, type CachedAnswer, type SimMessage, type SimSpec, type SimStats } from './agent-sim-core.js';

const REGISTER_CONCURRENCY = 32;

async function main(): Promise<void> {
  const spec = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as SimSpec;
  const ca = await readFile(spec.pki.caFile);
  const stats: SimStats = { calls: 0, firstCallAt: 0, lastAnswerAt: 0 };
  const servers: Server[] = [];
  const answers = new Map<string, CachedAnswer>();
  const urls: string[] = [];
  for (const agent of spec.pki.agents) {
    const server = createServer(
      { key: await readFile(agent.keyFile), cert: await readFile(agent.certFile), ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        if (req.method !== 'POST' || req.url !== '/api/v1/run') {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"PULSE_NOT_FOUND","message":"not here"}}');
          return;
        }
        answerRun(req, res, stats, spec.delayMs, answers);
      },
    );
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    urls.push(`https://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  const failures: string[] = [];
  let registered = 0;
  let next = 0;
  const registerOne = async (i: number) => {
    const agent = spec.pki.agents[i]!;
    const dispatcher = new Agent({ connect: { ca, cert: await readFile(agent.certFile), key: await readFile(agent.keyFile) } });
    try {
      const res = await request(new URL(REGISTER_PATH, spec.hubAgentUrl), {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          protocol: PROTOCOL_VERSION,
          url: urls[i],
          labels: { ...spec.labels, shard: String(i % 10) },
          probers: ['http', 'tcp', 'dns', 'icmp'],
          ip_versions: [4],
          version: 'bench',
        }),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await res.body.text();
      if (res.statusCode === 200) registered++;
      else if (failures.length < 5) failures.push(`${agent.name}: HTTP ${res.statusCode} ${text.slice(0, 200)}`);
    } catch (err) {
      if (failures.length < 5) failures.push(`${agent.name}: ${(err as Error).message}`);
    } finally {
      await dispatcher.close();
    }
  };
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      while (next < spec.pki.agents.length) await registerOne(next++);
    }),
  );
  const send = (m: SimMessage) => process.send?.(m);
  process.on('message', (m: { cmd?: string }) => {
    if (m.cmd === 'stats') send({ type: 'stats', stats: { ...stats } });
    if (m.cmd === 'reset') {
      stats.calls = 0;
      stats.firstCallAt = 0;
      stats.lastAnswerAt = 0;
      send({ type: 'stats', stats: { ...stats } });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.once('SIGTERM', () => process.exit(0));
  send({ type: 'ready', registered, failures });
}

main().catch((err: unknown) => {
  process.stderr.write(`agent-sim: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
