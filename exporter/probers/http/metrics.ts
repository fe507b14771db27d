import { MetricSet } from '../../../lib/probe/metrics.js';
import { ipHash } from '../shared/ip-hash.js';
import { resolutionMetrics } from '../shared/resolution-metrics.js';
import { tlsMetrics } from '../shared/tls-metrics.js';
import { versionNumber } from './checks.js';
import type { Observation, PhaseSeconds } from './observation.js';
import { PHASES } from './timeline.js';

/** blackbox_exporter 0.23's http metrics, same names, help, labels and pre-created series. */
export function httpMetrics(obs: Observation, phases: PhaseSeconds): MetricSet {
  const m = new MetricSet();
  const r = obs.resolution;
  if (r) {
    const resolved: { lookupSeconds: number; family?: 4 | 6; hash: number } = { lookupSeconds: r.lookupSeconds, hash: r.address ? ipHash(r.address) : 0 };
    if (r.family !== undefined) resolved.family = r.family;
    resolutionMetrics(m, resolved);
  }
  for (const phase of PHASES) {
    // blackbox creates the resolve series when it resolves, or when a redirect adds its time;
    // a proxied probe with skip_resolve_phase_with_proxy and no redirect has none.
    if (phase === 'resolve' && !r && obs.redirects === 0) continue;
    m.gauge('probe_http_duration_seconds', 'Duration of http request by phase, summed over all redirects', phases[phase], { phase });
  }
  const f = obs.final;
  m.gauge('probe_http_content_length', 'Length of http content response', f?.contentLength ?? 0);
  m.gauge('probe_http_uncompressed_body_length', 'Length of uncompressed response body', f?.bodyBytes ?? 0);
  m.gauge('probe_http_redirects', 'The number of redirects', obs.redirects);
  m.gauge('probe_http_ssl', 'Indicates if SSL was used for the final redirect', f?.tls ? 1 : 0);
  m.gauge('probe_http_status_code', 'Response HTTP status code', f?.status ?? 0);
  m.gauge('probe_http_version', 'Returns the version of HTTP of the probe response', f ? versionNumber(f.version) : 0);
  m.gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', obs.failedDueToRegex ? 1 : 0);
  // blackbox 0.27+ registers it only for modules with a CEL check.
  if (obs.failedDueToCel !== undefined) m.gauge('probe_failed_due_to_cel', 'Indicates if probe failed due to CEL expression not matching', obs.failedDueToCel ? 1 : 0);
  if (f?.lastModified !== undefined) {
    m.gauge('probe_http_last_modified_timestamp_seconds', 'Returns the Last-Modified HTTP response header in unixtime', f.lastModified);
  }
  const tls = f?.tls;
  if (tls && tls.chain.length > 0) tlsMetrics(m, tls, { cipher: true });
  return m;
}
