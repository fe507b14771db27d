import type { HttpOptions } from '../../../lib/config/probers/http.js';
import type { HttpDetails } from '../../../lib/probers/details/http.js';
import type { Observation, PhaseSeconds } from './observation.js';

/**
 * The structured view the hub shows: what was asked, where it went, what came back. Never the
 * body itself: only how it matched.
 */
export function httpDetails(obs: Observation, phases: PhaseSeconds, o: HttpOptions): HttpDetails {
  const f = obs.final;
  const d: HttpDetails = {
    phases,
    redirects: obs.redirects,
    hops: obs.hops,
    body_match: obs.bodyMatch ?? {
      checked: false,
      matched: [],
      // Configured but not reached: blackbox skips body regexps once an earlier check failed.
      ...(o.fail_if_body_matches_regexp.length + o.fail_if_body_not_matches_regexp.length > 0 ? { skipped: 'an earlier check failed' } : {}),
    },
    failed_due_to_regex: obs.failedDueToRegex,
  };
  if (obs.resolution?.address) {
    d.ip = obs.resolution.address;
    if (obs.resolution.family !== undefined) d.ip_protocol = obs.resolution.family;
  }
  const lastHop = obs.hops.at(-1);
  if (lastHop) d.connected_to = lastHop.connected_to;
  if (f) {
    d.url = f.url;
    d.status_code = f.status;
    d.http_version = `HTTP/${f.version}`;
    d.headers = headersObject(f.headers);
    d.content_length = f.contentLength;
    d.body_bytes = f.bodyBytes;
    d.body_read = f.bodyRead;
    if (f.lastModified !== undefined) d.last_modified = new Date(f.lastModified * 1000).toISOString();
    if (f.tls) d.tls = f.tls;
  }
  if (o.headers_only) d.headers_only = true;
  return d;
}

/** Lower-cased names; repeated headers become arrays, so nothing is lost and JSON stays flat. */
function headersObject(pairs: readonly [string, string][]): Record<string, string | string[]> {
  // No prototype: a server's `constructor` or `__proto__` header is just a header.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of pairs) {
    const key = k.toLowerCase();
    const prev = out[key];
    out[key] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
}
