/**
 * Runs POLICY_CASES through the real probers and prints one JSON line per case. Started by
 * policy-netns.test.ts inside a network namespace with only loopback: its DNS server listens on
 * 127.0.0.1:53 there, the namespace's resolv.conf points at it.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { resolveConfig } from '../../../lib/config/load.js';
import { executeProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';
import { startDnsServer } from '../../helpers/dns-server.js';
import { POLICY_CASES } from './cases.js';

let rebindQueries = 0;
const dns = await startDnsServer({
  port: 53,
  handler: (q) => {
    const a = (data: string) => ({ answers: [{ name: q.name, type: 'A' as const, ttl: 0, data }] });
    if (q.type !== 'A') return { answers: [] };
    if (q.name === 'meta.pulse.test') return a('169.254.169.254');
    if (q.name === 'ok.pulse.test') return a('127.0.0.1');
    // A rebinding name: harmless once, then the metadata address (TTL 0) for every later query.
    if (q.name === 'rebind.pulse.test') return a(rebindQueries++ === 0 ? '127.0.0.1' : '169.254.169.254');
    return { rcode: 'NXDOMAIN' as const };
  },
});
const http = createHttpServer((req, res) => {
  if (req.url === '/to-meta') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  else res.end('ok');
});
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const tcp = createTcpServer((s) => s.end());
await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
const ports = { HTTP: String((http.address() as AddressInfo).port), TCP: String((tcp.address() as AddressInfo).port) };
const fill = (s: string) => s.replace(/\{(HTTP|TCP)\}/g, (_m, k: 'HTTP' | 'TCP') => ports[k]);

const probers = defaultProbers();
for (const c of POLICY_CASES) {
  const config = resolveConfig({
    modules: { m: { prober: c.prober, timeout: '3s', [c.prober]: { ...(c.prober === 'mtr' ? { ip_version: 4 } : { preferred_ip_protocol: 'ip4' }), ...c.options } } },
    exporter: { listen: '127.0.0.1:9115', hub: { url: 'https://127.0.0.1:7777', ca_file: '/x', cert_file: '/x', key_file: '/x' }, ...(c.policy ? { target_policy: c.policy } : {}) },
  });
  const module = config.modules.m!;
  const out = await executeProbe(probers[c.prober] as never, config.exporter, { module, target: fill(c.target) }, 3, undefined);
  const hops = (out.details as { hops?: Array<{ connected_to?: string }> }).hops;
  process.stdout.write(`${JSON.stringify({ name: c.name, success: out.success, reason: out.reason ?? '', connected_to: hops?.[0]?.connected_to })}\n`);
}
process.stdout.write(`${JSON.stringify({ ports, rebindQueries })}\n`);
await dns.close();
http.close();
tcp.close();
