import Type from 'typebox';
import { TlsInfo } from './tls.js';

/**
 * The http prober's `details` (exporter/probers/http/details.ts writes them; client/details.ts
 * reads them): what was asked, where it went, what came back. Never the body itself.
 */
const seconds = Type.Number();
export const HttpPhases = Type.Object({ resolve: seconds, connect: seconds, tls: seconds, processing: seconds, transfer: seconds });

export const HttpHop = Type.Object({
  url: Type.String(),
  method: Type.String(),
  /** Where the socket went: the resolved address, the endpoint, or the proxy. */
  connected_to: Type.String(),
  via_proxy: Type.Optional(Type.String()),
  status: Type.Optional(Type.Number()),
  location: Type.Optional(Type.String()),
});

export const BodyMatch = Type.Object({
  checked: Type.Boolean(),
  /** The regexp that decided the failure, if one did. */
  failed_regexp: Type.Optional(Type.String()),
  failed_rule: Type.Optional(Type.Union([Type.Literal('fail_if_body_matches_regexp'), Type.Literal('fail_if_body_not_matches_regexp')])),
  /** Regexps that matched the body (of either list). */
  matched: Type.Array(Type.String()),
  /** Why the body was not checked although the module has regexps. */
  skipped: Type.Optional(Type.String()),
});
export type BodyMatch = Type.Static<typeof BodyMatch>;

export const HttpDetails = Type.Object({
  phases: HttpPhases,
  redirects: Type.Number(),
  hops: Type.Array(HttpHop),
  ip: Type.Optional(Type.String()),
  ip_protocol: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
  connected_to: Type.Optional(Type.String()),
  /** The final response, when one came. */
  url: Type.Optional(Type.String()),
  status_code: Type.Optional(Type.Number()),
  http_version: Type.Optional(Type.String()),
  /** Lower-cased names; a repeated header is a list. */
  headers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
  content_length: Type.Optional(Type.Number()),
  body_bytes: Type.Optional(Type.Number()),
  body_read: Type.Optional(Type.Boolean()),
  last_modified: Type.Optional(Type.String()),
  tls: Type.Optional(TlsInfo),
  body_match: BodyMatch,
  failed_due_to_regex: Type.Boolean(),
  headers_only: Type.Optional(Type.Boolean()),
});
export type HttpDetails = Type.Static<typeof HttpDetails>;
