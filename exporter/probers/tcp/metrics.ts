import { MetricSet } from '../../../lib/probe/metrics.js';

/**
 * The tcp prober's metrics, named, labelled and pre-created as blackbox_exporter 0.23 does
 * (checked against the real binary): failed_due_to_regex and the resolve trio always exist,
 * at 0 until known; the TLS families appear once a handshake completed.
 */
export function initialTcpMetrics(): MetricSet {
  return new MetricSet()
    .gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', 0)
    .gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', 0)
    .gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', 0)
    .gauge('probe_ip_addr_hash', "Specifies the hash of IP address. It's useful to detect if the IP address changes.", 0);
}
