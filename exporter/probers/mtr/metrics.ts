import type { MetricSet } from '../../../lib/probe/metrics.js';
import { type Path, pathHash } from './hops.js';

/** Pulse's mtr series: per-path gauges, then one series per hop labelled by TTL and answering address. */
export function mtrMetrics(m: MetricSet, path: Path): MetricSet {
  m.gauge('probe_mtr_hops', 'Number of hops in the traced path, the destination included when it answered', path.hops.length);
  m.gauge('probe_mtr_destination_reached', 'Whether the traced address answered (1) or not (0)', path.destination_reached ? 1 : 0);
  m.gauge('probe_mtr_path_hash', 'Hash of the ordered hop addresses; a change of value is a change of route', pathHash(path.hops));
  for (const h of path.hops) {
    const labels = { hop: String(h.hop), ip: h.ip };
    m.gauge('probe_mtr_hop_packets_sent', 'Probes sent to this hop', h.sent, labels);
    m.gauge('probe_mtr_hop_packets_received', 'Replies received from this hop', h.received, labels);
    m.gauge('probe_mtr_hop_loss_ratio', 'Share of probes to this hop without a reply, 0 to 1', h.loss_ratio, labels);
  }
  // Separate loops keep each family's samples together in hop order.
  for (const h of path.hops) {
    if (!h.rtt_seconds) continue;
    const help = 'Round-trip time to this hop by statistic (mtr report columns), in seconds';
    for (const stat of ['last', 'best', 'avg', 'worst', 'stddev'] as const) {
      m.gauge('probe_mtr_hop_rtt_seconds', help, h.rtt_seconds[stat], { hop: String(h.hop), ip: h.ip, stat });
    }
  }
  for (const h of path.hops) {
    if (h.jitter_seconds === null) continue;
    m.gauge(
      'probe_mtr_hop_jitter_seconds',
      'Mean difference between consecutive round-trip times to this hop, in seconds',
      h.jitter_seconds,
      { hop: String(h.hop), ip: h.ip },
    );
  }
  return m;
}
