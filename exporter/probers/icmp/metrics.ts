import type { MetricSet } from '../../../lib/probe/metrics.js';
import type { RttStats } from './stats.js';

/** blackbox_exporter's shared resolution metrics (prober/utils.go), with its HELP texts. */
export function resolutionMetrics(m: MetricSet, r: { lookupSeconds: number; family?: 4 | 6; hash?: number }): MetricSet {
  return m
    .gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', r.lookupSeconds)
    .gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', r.family ?? 0)
    .gauge('probe_ip_addr_hash', "Specifies the hash of IP address. It's useful to detect if the IP address changes.", r.hash ?? 0);
}

export type IcmpPhase = 'resolve' | 'setup' | 'rtt';

/**
 * probe_icmp_duration_seconds, every phase present even on failure as blackbox pre-creates them,
 * in the order Go's client prints them (by label value).
 */
export function icmpPhaseMetrics(m: MetricSet, phases: Partial<Record<IcmpPhase, number>>): MetricSet {
  for (const phase of ['resolve', 'rtt', 'setup'] as const) {
    m.gauge('probe_icmp_duration_seconds', 'Duration of icmp request by phase', phases[phase] ?? 0, { phase });
  }
  return m;
}

export interface PacketCounts {
  sent: number;
  received: number;
  hopLimit?: number;
  stats?: RttStats;
}

/** blackbox's reply hop limit, and Pulse's multi-packet (smokeping-style) series. */
export function icmpPacketMetrics(m: MetricSet, c: PacketCounts): MetricSet {
  if (c.hopLimit !== undefined) m.gauge('probe_icmp_reply_hop_limit', 'Replied packet hop limit (TTL for ipv4)', c.hopLimit);
  m.gauge('probe_icmp_packets_sent', 'Number of ICMP echo requests sent in this probe', c.sent);
  m.gauge('probe_icmp_packets_received', 'Number of ICMP echo replies received in this probe, duplicates excluded', c.received);
  m.gauge('probe_icmp_packet_loss_ratio', 'Share of echo requests without a reply, 0 to 1', lossRatio(c.sent, c.received));
  if (c.stats) {
    const help = 'Round-trip time of the echo replies in this probe by statistic, in seconds';
    m.gauge('probe_icmp_rtt_seconds', help, c.stats.min, { stat: 'min' });
    m.gauge('probe_icmp_rtt_seconds', help, c.stats.avg, { stat: 'avg' });
    m.gauge('probe_icmp_rtt_seconds', help, c.stats.max, { stat: 'max' });
    m.gauge('probe_icmp_rtt_seconds', help, c.stats.stddev, { stat: 'stddev' });
  }
  return m;
}

export function lossRatio(sent: number, received: number): number {
  if (sent <= 0) return 1;
  return Math.min(1, Math.max(0, (sent - received) / sent));
}
