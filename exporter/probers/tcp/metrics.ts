import { MetricSet } from '../../../lib/probe/metrics.js';
import { resolutionMetrics } from '../shared/resolution-metrics.js';

/**
 * The tcp prober's metrics, named, labelled and pre-created as blackbox_exporter 0.23 does
 * (checked against the real 0.23 binary; 0.25's additions from its source): failed_due_to_regex and the resolve trio always exist,
 * at 0 until known; the TLS families appear once a handshake completed.
 */
export function initialTcpMetrics(): MetricSet {
  const m = new MetricSet().gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', 0);
  // blackbox 0.25+ pre-creates this one too, for expect_bytes.
  m.gauge('probe_failed_due_to_bytes', 'Indicates if probe failed due to bytes', 0);
  return resolutionMetrics(m, { lookupSeconds: 0 });
}
