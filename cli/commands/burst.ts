import type { Command } from 'commander';
import type { TestInput } from '../../client/requests.js';
import { parsePositiveInt, type Runner, UsageError } from '../context.js';
import { ipVersion, single } from './single.js';

interface BurstFlags {
  ipv4?: boolean;
  ipv6?: boolean;
  connections?: string;
  concurrency?: string;
  rate?: string;
  tls?: boolean;
  insecure?: boolean;
  path?: string;
  proxy?: string;
}

/** `pulse burst` (N connections at once) and `pulse sockets` (netstat on every agent). */
export function addBurstCommands(program: Command, run: Runner): void {
  program
    .command('burst')
    .description('open many TCP connections to HOST:PORT from every agent at once: stalled handshakes, failures, connect-time quantiles')
    .argument('<host:port>', 'host and port, [v6]:port for IPv6 addresses')
    .option('-n, --connections <n>', 'connections to open (default 100; each agent caps it, 1000 by default)')
    .option('-c, --concurrency <n>', 'connections open at once (default 10)')
    .option('-r, --rate <n>', 'new connections per second')
    .option('--tls', 'do a TLS handshake on each connection')
    .option('-k, --insecure', 'with --tls: do not verify the certificate')
    .option('--path <path>', 'send GET PATH on each connection and time the first byte')
    .option('--proxy <url>', 'go through this HTTP proxy with CONNECT (http://user:pass@host:port)')
    .option('-4, --ipv4', 'use IPv4 only')
    .option('-6, --ipv6', 'use IPv6 only')
    .action(async function (this: Command, target: string) {
      await run(this, async (g, io) => {
        const o = this.opts<BurstFlags>();
        const ipv = ipVersion(o);
        const input: TestInput = { type: 'burst', target, ...(ipv ? { ipVersion: ipv } : {}) };
        if (o.connections !== undefined) input.connections = parsePositiveInt('--connections', o.connections);
        if (o.concurrency !== undefined) input.concurrency = parsePositiveInt('--concurrency', o.concurrency);
        if (o.rate !== undefined) input.rate = parsePositiveInt('--rate', o.rate);
        if (o.tls) input.tls = true;
        if (o.insecure) input.insecure = true;
        if (o.path !== undefined) {
          if (!o.path.startsWith('/')) throw new UsageError(`--path "${o.path}" must start with /`);
          input.path = o.path;
        }
        if (o.proxy !== undefined) input.proxy = o.proxy;
        return single(input, g, io);
      });
    });

  program
    .command('sockets')
    .description("show every agent's own TCP sockets by state (netstat), optionally only those to ADDR[:PORT]")
    .argument('[filter]', 'remote end: ADDR, ADDR:PORT, [V6]:PORT or *:PORT (default: all)', '*')
    .action(async function (this: Command, filter: string) {
      await run(this, async (g, io) => single({ type: 'sockets', filter }, g, io, 'FILTER'));
    });
}

/** `pulse ping --tcp PORT`: the tcp prober's TCP ping, for paths that drop ICMP. */
export function tcpPingInput(target: string, port: string, packets: number, ipv: 4 | 6 | undefined): TestInput {
  const p = parsePositiveInt('--tcp', port);
  if (p > 65_535) throw new UsageError(`--tcp ${p}: a port is at most 65535`);
  const host = target.includes(':') && !target.startsWith('[') ? `[${target}]` : target;
  return { type: 'tcp', target: `${host}:${p}`, packets, ...(ipv ? { ipVersion: ipv } : {}) };
}
