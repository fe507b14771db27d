import type { Command } from 'commander';
import { buildRequest, DEFAULTS } from '../../client/requests.js';
import { collect, parsePositiveInt, type Runner, UsageError } from '../context.js';
import { tcpPingInput } from './burst.js';
import { SYSTEM_RESOLVER } from '../../lib/system-resolver.js';
import { runMeasurements } from './run.js';
import { ipVersion, single } from './single.js';

/** The five test commands: dns, http, mtr, ping, tcp. */
export function addTestCommands(program: Command, run: Runner): void {
  addDnsCommand(program, run);

  program
    .command('http')
    .description('fetch URL from every agent: status code, time by phase, TLS certificate')
    .argument('<url>', 'http:// or https:// URL')
    .option('-H, --host <host>', 'send this Host header (connect to the URL\'s host, ask for another site)')
    .option('--headers-only', 'stop after the response headers, as the original Pulse did')
    .option('-k, --insecure', 'do not verify the server certificate (it is still shown)')
    .action(async function (this: Command, url: string) {
      await run(this, async (g, io) => {
        const o = this.opts<{ host?: string; headersOnly?: boolean; insecure?: boolean }>();
        const input = { type: 'http' as const, url, ...(o.host ? { host: o.host } : {}), ...(o.headersOnly ? { headersOnly: true } : {}), ...(o.insecure ? { insecure: true } : {}) };
        return single(input, g, io);
      });
    });

  program
    .command('mtr')
    .description('trace the route to TARGET from every agent with mtr: loss and latency per hop')
    .argument('<target>', 'host name or IP address')
    .option('-4, --ipv4', 'use IPv4 only')
    .option('-6, --ipv6', 'use IPv6 only')
    .option('-c, --packets <n>', 'packets per hop', String(DEFAULTS.mtrPackets))
    .action(async function (this: Command, target: string) {
      await run(this, async (g, io) => {
        const o = this.opts<{ ipv4?: boolean; ipv6?: boolean; packets: string }>();
        const ipv = ipVersion(o);
        const packets = parsePositiveInt('--packets', o.packets);
        return single({ type: 'mtr', target, packets, ...(ipv ? { ipVersion: ipv } : {}) }, g, io);
      });
    });

  program
    .command('ping')
    .description('ping TARGET from every agent (ICMP echo): round-trip time and loss')
    .argument('<target>', 'host name or IP address')
    .option('-4, --ipv4', 'use IPv4 only')
    .option('-6, --ipv6', 'use IPv6 only')
    .option('-c, --packets <n>', 'echo requests to send', String(DEFAULTS.pingPackets))
    .option('--tcp <port>', 'TCP ping: time handshakes to PORT instead of ICMP echoes (for paths that drop ICMP)')
    .action(async function (this: Command, target: string) {
      await run(this, async (g, io) => {
        const o = this.opts<{ ipv4?: boolean; ipv6?: boolean; packets: string; tcp?: string }>();
        const ipv = ipVersion(o);
        const packets = parsePositiveInt('--packets', o.packets);
        if (o.tcp !== undefined) return single(tcpPingInput(target, o.tcp, packets, ipv), g, io);
        return single({ type: 'icmp', target, packets, ...(ipv ? { ipVersion: ipv } : {}) }, g, io);
      });
    });

  program
    .command('tcp')
    .description('open a TCP connection to HOST:PORT from every agent')
    .argument('<host:port>', 'host and port, [v6]:port for IPv6 addresses')
    .option('-4, --ipv4', 'use IPv4 only')
    .option('-6, --ipv6', 'use IPv6 only')
    .action(async function (this: Command, target: string) {
      await run(this, async (g, io) => {
        const ipv = ipVersion(this.opts<{ ipv4?: boolean; ipv6?: boolean }>());
        return single({ type: 'tcp', target, ...(ipv ? { ipVersion: ipv } : {}) }, g, io);
      });
    });
}

/** `pulse dns`: one measurement per --resolver. */
function addDnsCommand(program: Command, run: Runner): void {
  program
    .command('dns')
    .description("look NAME up from every agent, asking each --resolver, or without one the agent's own resolvers")
    .argument('<name>', 'the name to look up')
    .option('-t, --type <type>', 'record type (A, AAAA, MX, TXT, NS, SOA, CNAME, PTR, SRV, CAA...)', DEFAULTS.dnsType)
    .option('-r, --resolver <addr>', "resolver to ask (host or host:port); repeatable: one measurement each; default: each agent's own (resolv.conf)", collect)
    .option('--tcp', 'ask over TCP instead of UDP')
    .action(async function (this: Command, name: string) {
      await run(this, async (g, io) => {
        const o = this.opts<{ type: string; resolver?: string[]; tcp?: boolean }>();
        if (!/^[A-Za-z0-9]+$/.test(o.type)) throw new UsageError(`--type "${o.type}" is not a record type`);
        const common = { agents: g.agents, ...(g.timeout === undefined ? {} : { timeout: g.timeout }) };
        // No resolver: each agent asks its own (the target "system"), as the users at its site would.
        const resolvers = o.resolver && o.resolver.length > 0 ? o.resolver : [SYSTEM_RESOLVER];
        const requests = resolvers.map((resolver) =>
          buildRequest({ type: 'dns', name, qtype: o.type, resolver, ...(o.tcp ? { transport: 'tcp' as const } : {}) }, common),
        );
        return runMeasurements({ requests, targetTitle: 'RESOLVER' }, g, io);
      });
    });
}
