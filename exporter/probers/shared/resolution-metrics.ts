import type { MetricSet } from '../../../lib/probe/metrics.js';

/** blackbox_exporter's probe_dns_lookup_time_seconds (prober/utils.go), with its HELP text. */
export function lookupTimeMetric(m: MetricSet, seconds: number): MetricSet {
  return m.gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', seconds);
}

/** probe_ip_protocol (4 or 6, 0 when unresolved) and probe_ip_addr_hash (0 when unresolved). */
export function addressMetrics(m: MetricSet, family: 4 | 6 | undefined, hash: number): MetricSet {
  return m
    .gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', family ?? 0)
    .gauge('probe_ip_addr_hash', "Specifies the hash of IP address. It's useful to detect if the IP address changes.", hash);
}

/** The resolution trio every network prober exports, at 0 for what is not known. */
export function resolutionMetrics(m: MetricSet, r: { lookupSeconds: number; family?: 4 | 6; hash?: number }): MetricSet {
  return addressMetrics(lookupTimeMetric(m, r.lookupSeconds), r.family, r.hash ?? 0);
}
