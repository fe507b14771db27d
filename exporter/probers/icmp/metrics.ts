import { lossRatio } from '../shared/rtt-stats.js';
import type { MetricSet } from '../../../lib/probe/metrics.js';
import type { RttStats } from '../shared/rtt-stats.js';

export type IcmpPhase = 'resolve' | 'setup' | 'rtt';

/**
 * probe_icmp_duration_seconds, every phase present even on failure as blackbox pre-creates them
 * (/probe sorts them by label value, as Go's client does).
 */
export function icmpPhaseMetrics(m: MetricSet, phases: Partial<Record<IcmpPhase, number>>): MetricSet {
  for (const phase of ['resolve', 'setup', 'rtt'] as const) {
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

