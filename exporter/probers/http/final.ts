import type { ProbeContext } from '../../../lib/probe/types.js';
import { readBody } from './body.js';
import { celReason, hasCel } from './cel-check.js';
import { bodyMatch, bodyReason, contentLength, headerReason, headerValues, parseByteSize, parseHttpDate, statusReason, versionReason } from './checks.js';
import type { ResponseHead } from './exchange.js';
import { displayUrl, type Hop } from './hop.js';
import type { Observation } from './observation.js';
import type { TlsInfo } from '../shared/tls-info.js';
import type { Timeline } from './timeline.js';

/** The final response: blackbox's checks, in blackbox's order. */
export async function finish(
  ctx: ProbeContext<'http'>,
  obs: Observation,
  hop: Hop,
  head: ResponseHead,
  tls: TlsInfo | undefined,
  timeline: Timeline,
  requestErrored: boolean,
  stage: (s: string) => void,
): Promise<void> {
  const o = ctx.options;
  const log = ctx.logger;
  const fail = (reason: string | undefined) => {
    if (reason === undefined) return;
    log.error(reason);
    obs.reason ??= reason;
  };
  const final: Observation['final'] & object = {
    url: displayUrl(hop.url),
    status: head.status,
    version: head.version,
    headers: head.headers,
    contentLength: contentLength(head.status, hop.method, head.headers),
    bodyBytes: 0,
    bodyRead: false,
  };
  if (tls) final.tls = tls;
  obs.final = final;

  fail(statusReason(head.status, o.valid_status_codes));
  if (obs.reason === undefined && (o.fail_if_header_matches.length > 0 || o.fail_if_header_not_matches.length > 0)) {
    const r = headerReason(head.headers, o.fail_if_header_matches, o.fail_if_header_not_matches);
    obs.failedDueToRegex = r !== undefined;
    fail(r);
  }
  const wantsRegex = o.fail_if_body_matches_regexp.length > 0 || o.fail_if_body_not_matches_regexp.length > 0;
  const wantsBody = wantsRegex || hasCel(o);
  if (o.headers_only) {
    log.info('headers_only: closing the connection without reading the body');
    head.close();
  } else if (!requestErrored) {
    stage(`reading the response body from ${hop.url.origin}`);
    const collect = obs.reason === undefined && wantsBody;
    const body = await readBody(head.body, { compression: o.compression, limit: parseByteSize(o.body_size_limit), collect, signal: ctx.signal });
    if (body.endedAt !== undefined) timeline.end = body.endedAt;
    final.bodyBytes = body.bytes;
    final.bodyRead = body.error === undefined;
    if (body.error) fail(body.error);
    else if (collect && body.data) {
      const text = body.data.toString('utf8');
      if (wantsRegex) {
        obs.bodyMatch = bodyMatch(text, o.fail_if_body_matches_regexp, o.fail_if_body_not_matches_regexp);
        const r = bodyReason(obs.bodyMatch);
        obs.failedDueToRegex = r !== undefined;
        fail(r);
      }
      // As blackbox: the CEL checks run only when everything before them passed.
      if (hasCel(o) && obs.reason === undefined) {
        const r = celReason(text, o);
        obs.failedDueToCel = r !== undefined;
        fail(r);
      }
    }
  }
  timeline.end ??= performance.now();
  const lastModified = parseHttpDate(headerValues(head.headers, 'last-modified')[0]);
  if (lastModified !== undefined) final.lastModified = lastModified;
  fail(versionReason(head.version, o.valid_http_versions));
  if (final.tls && o.fail_if_ssl) fail('final request was over SSL (fail_if_ssl)');
  if (!final.tls && o.fail_if_not_ssl) fail('final request was not over SSL (fail_if_not_ssl)');
}
