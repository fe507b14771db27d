import { Counter, Gauge, type Registry } from 'prom-client';

export type TunnelCloseReason = 'agent' | 'keepalive' | 'replaced' | 'refused' | 'protocol' | 'oversize' | 'hub';

export interface TunnelMetrics {
  closes: Counter<'reason'>;
}

/** Tunnels open now, and why tunnels closed (a bounded set of reasons; the log has the details). */
export function createTunnelMetrics(registry: Registry, open: () => number): TunnelMetrics {
  new Gauge({
    name: 'pulse_hub_tunnels',
    help: 'Dial-out agents whose tunnel to this hub is open.',
    registers: [registry],
    collect() {
      this.set(open());
    },
  });
  return {
    closes: new Counter({
      name: 'pulse_hub_tunnel_closes_total',
      help: 'Tunnels closed, by reason: agent (it hung up), keepalive (pings unanswered), replaced (a newer tunnel with the same certificate), refused (bad identity or announcement), protocol (garbage or unsolicited frames), oversize (answer over the limit), hub (shutdown).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}
