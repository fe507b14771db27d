import { MetricSet } from '../../../lib/probe/metrics.js';
import { resolutionMetrics } from '../shared/resolution-metrics.js';

/**
 * The tcp prober's metrics, named, labelled and pre-created as blackbox_exporter 0.23 does
 * (checked against the real binary): failed_due_to_regex and the resolve trio always exist,
 * at 0 until known; the TLS families appear once a handshake completed.
 */
export function initialTcpMetrics(): MetricSet {
  return resolutionMetrics(new MetricSet().gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', 0), { lookupSeconds: 0 });
}
