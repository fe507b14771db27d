/**
 * Run inside a test's network namespace (bundled with esbuild, started with `ip netns exec`):
 * plays the nameservers the namespace's resolv.conf lists, on its own loopback, port 53 —
 * 127.0.0.1 answers, 127.0.0.2 answers REFUSED, nothing listens on 127.0.0.3 — then runs the
 * real dns prober with no resolver (target "system") and prints its outcome as one JSON line.
 */
import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { executeProbe, prepareProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { resolveConfig } from '../../../lib/config/load.js';

async function nameserver(host: string, answer: (q: dnsPacket.Question) => dnsPacket.Packet['answers'] | 'REFUSED'): Promise<() => void> {
  const sock = createSocket('udp4');
  sock.on('message', (msg, from) => {
    const query = dnsPacket.decode(msg);
    const q = query.questions![0]!;
    const a = answer(q);
    const reply = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (a === 'REFUSED' ? 5 : 0),
      questions: query.questions,
      answers: a === 'REFUSED' ? [] : a,
    });
    sock.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => sock.bind(53, host, resolve));
  return () => sock.close();
}

const stops = [
  await nameserver('127.0.0.1', (q) => [{ type: 'A', name: q.name, ttl: 60, data: '192.0.2.80' }]),
  await nameserver('127.0.0.2', () => 'REFUSED'),
];
const config = resolveConfig({ modules: { own: { prober: 'dns', timeout: '3s', dns: { query_name: 'www.site.test', query_type: 'A' } } } });
const req = { moduleName: 'own', module: config.modules.own!, target: 'system' };
const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), config.exporter, req);
const outcome = await executeProbe(prober, config.exporter, req, timeoutSeconds, undefined);
process.stdout.write(`${JSON.stringify({ success: outcome.success, reason: outcome.reason, details: outcome.details })}\n`);
for (const stop of stops) stop();
