import type { MetricSet } from '../../../lib/probe/metrics.js';
import { TCP_STATE_NAMES, type TcpState } from '../../sockets/parse.js';

/** probe_tcp_sockets for every family and state, at 0 where none matched, so a series never disappears. */
export function socketsMetrics(metrics: MetricSet, counts: Record<'4' | '6', Record<TcpState, number>>): MetricSet {
  for (const family of ['4', '6'] as const) {
    for (const state of TCP_STATE_NAMES) {
      metrics.gauge('probe_tcp_sockets', 'TCP sockets of the agent matching the filter, by address family and state', counts[family][state], { family, state });
    }
  }
  return metrics;
}
