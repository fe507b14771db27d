import { Gauge, type Registry } from 'prom-client';
import { TCP_STATE_NAMES } from './parse.js';
import { countTcpSockets } from './read.js';

/**
 * pulse_host_tcp_sockets{family,state}: the host's TCP sockets by state, read from /proc at each
 * scrape (netstat on /metrics). With --workers every worker sees the same host: max, not sum.
 */
export function registerHostSocketMetrics(registry: Registry, netDir = '/proc/net'): void {
  new Gauge({
    name: 'pulse_host_tcp_sockets',
    help: "TCP sockets of the exporter's host (its network namespace) by address family and state, from /proc/net/tcp and tcp6",
    labelNames: ['family', 'state'] as const,
    registers: [registry],
    aggregator: 'max',
    async collect() {
      let counts: Awaited<ReturnType<typeof countTcpSockets>>;
      try {
        counts = await countTcpSockets(netDir);
      } catch {
        // No /proc (not Linux, or hidden): no series rather than a failed scrape.
        this.reset();
        return;
      }
      for (const family of ['4', '6'] as const) {
        for (const state of TCP_STATE_NAMES) this.set({ family, state }, counts[family][state]);
      }
    },
  });
}
