import type { Row } from './api.js';
import { formatSeconds, metric, samples } from './metrics.js';

/** The burst prober's headline figures, shared by the CLI table and the web page. */
export function burstFigures(row: Row): { attempts?: number; failed?: number; stalled?: number; p50?: number; p99?: number; max?: number } {
  const r = row.result;
  const q = (quantile: string) => metric(r, 'probe_burst_connect_seconds', { quantile });
  const failures = samples(r, 'probe_burst_failures').reduce((a, s) => a + s.value, 0);
  const out: ReturnType<typeof burstFigures> = {};
  const attempts = metric(r, 'probe_burst_attempts');
  if (attempts !== undefined) Object.assign(out, { attempts, failed: failures });
  const stalled = metric(r, 'probe_burst_stalled_handshakes');
  if (stalled !== undefined) out.stalled = stalled;
  for (const [k, quantile] of [['p50', '0.5'], ['p99', '0.99'], ['max', '1']] as const) {
    const v = q(quantile);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function burstKeyFigure(row: Row): string {
  const b = burstFigures(row);
  if (b.attempts === undefined) return '';
  return `${b.attempts} conn · ${b.stalled ?? 0} stalled · ${b.failed ?? 0} failed · p99 ${formatSeconds(b.p99)}`;
}

/** Sockets by state over both families, from a `sockets` row's probe_tcp_sockets samples. */
export function socketCounts(row: Row): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples(row.result, 'probe_tcp_sockets')) {
    const state = s.labels.state ?? '';
    out[state] = (out[state] ?? 0) + s.value;
  }
  return out;
}

export function socketsKeyFigure(row: Row): string {
  const c = socketCounts(row);
  const total = Object.values(c).reduce((a, v) => a + v, 0);
  const top = Object.entries(c)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${v} ${k}`);
  return `${total} socket${total === 1 ? '' : 's'}${top.length ? ` · ${top.join(', ')}` : ''}`;
}

export function tcpPingRttSeconds(row: Row): number | undefined {
  return metric(row.result, 'probe_tcp_ping_rtt_seconds', { stat: 'avg' });
}
