import { MetricSet } from '../../../lib/probe/metrics.js';
import { ipHash } from '../shared/ip-hash.js';
import { tlsMetrics } from '../shared/tls-metrics.js';
import { versionNumber } from './checks.js';
import type { Observation, PhaseSeconds } from './observation.js';
import { PHASES } from './timeline.js';

/** blackbox_exporter 0.23's http metrics, same names, help, labels and pre-created series. */
export function httpMetrics(obs: Observation, phases: PhaseSeconds): MetricSet {
  const m = new MetricSet();
  const r = obs.resolution;
  if (r) {
    m.gauge('probe_dns_lookup_time_seconds', 'Returns the time taken for probe dns lookup in seconds', r.lookupSeconds);
    m.gauge('probe_ip_protocol', 'Specifies whether probe ip protocol is IP4 or IP6', r.family ?? 0);
    m.gauge(
      'probe_ip_addr_hash',
      "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
      r.address ? ipHash(r.address) : 0,
    );
  }
  for (const phase of PHASES) {
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
  if (f?.lastModified !== undefined) {
    m.gauge('probe_http_last_modified_timestamp_seconds', 'Returns the Last-Modified HTTP response header in unixtime', f.lastModified);
  }
  const tls = f?.tls;
  if (tls && tls.chain.length > 0) tlsMetrics(m, tls);
  return m;
}
