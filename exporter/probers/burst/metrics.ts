import { MetricSet } from '../../../lib/probe/metrics.js';
import { FAILURE_KINDS } from './failure.js';
import { QUANTILES, type Quantiles, type BurstSummary } from './summary.js';

const QUANTILE_KEYS: Record<(typeof QUANTILES)[number], keyof Quantiles> = { 0.5: 'p50', 0.9: 'p90', 0.99: 'p99', 1: 'max' };

/**
 * The probe_burst_* family. Attempts, failures by every kind and stalled handshakes always exist
 * (0 until counted), so an alert on a rate of failures has a series from the first scrape.
 */
export function burstMetrics(s: BurstSummary | undefined, stallThreshold: number, loopDelayMax: number): MetricSet {
  const m = new MetricSet();
  m.gauge('probe_burst_attempts', 'Connections the burst attempted', s?.attempts ?? 0);
  for (const kind of FAILURE_KINDS) {
    m.gauge('probe_burst_failures', 'Attempts that failed, by kind of failure', s?.failures[kind] ?? 0, { kind });
  }
  m.gauge('probe_burst_stalled_handshakes', 'Handshakes slower than the stall threshold, or that never completed', s?.stalled ?? 0);
  m.gauge('probe_burst_stall_threshold_seconds', 'A handshake slower than this counts as stalled', stallThreshold);
  quantileFamily(m, 'probe_burst_connect_seconds', 'TCP handshake time of the burst by quantile (through a proxy: until the tunnel is up)', s?.connect);
  quantileFamily(m, 'probe_burst_tls_seconds', 'TLS handshake time of the burst by quantile', s?.tls);
  quantileFamily(m, 'probe_burst_first_byte_seconds', 'Time from the request to the first response byte by quantile', s?.first_byte);
  m.gauge(
    'probe_burst_event_loop_delay_max_seconds',
    "Longest delay of the exporter's own event loop during the burst: a stall larger than this is not the exporter's",
    loopDelayMax,
  );
  return m;
}

function quantileFamily(m: MetricSet, name: string, help: string, q: Quantiles | undefined): void {
  if (!q) return;
  for (const quantile of QUANTILES) m.gauge(name, help, q[QUANTILE_KEYS[quantile]], { quantile: String(quantile) });
}
