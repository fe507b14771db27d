import Type from 'typebox';
import { CelExpression, Regex, TlsConfig, type UnsupportedOption } from '../common.js';
import { HttpHeaders, OAuth2, ProxyConnectHeader } from './http-client.js';

/** blackbox's header regexp check: one header, one regex, optionally tolerating its absence. */
export const HeaderMatch = Type.Object(
  {
    header: Type.String({ minLength: 1 }),
    regexp: Regex(),
    allow_missing: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type HeaderMatch = Type.Static<typeof HeaderMatch>;

export const BasicAuth = Type.Object(
  {
    username: Type.String({ default: '' }),
    username_file: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String()),
    password_file: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type BasicAuth = Type.Static<typeof BasicAuth>;

/** Prometheus common's `authorization`: an Authorization header of a given type. */
export const Authorization = Type.Object(
  {
    type: Type.String({ default: 'Bearer' }),
    credentials: Type.Optional(Type.String()),
    credentials_file: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type Authorization = Type.Static<typeof Authorization>;

/** Go's units.Base2Bytes spelling, as blackbox.yml writes body_size_limit: 512KB, 1MB, 1GiB. */
export const BYTE_SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?([KMGTPE]i?B|B)$';

/**
 * The `http:` section of a module: blackbox_exporter 0.23's http prober options (its inlined
 * http_client_config included), plus Pulse's `headers_only` and `endpoint`.
 */
export const HttpOptions = Type.Object(
  {
    valid_status_codes: Type.Array(Type.Integer({ minimum: 100, maximum: 999 }), { default: [] }),
    // Any string, as blackbox reads it ("HTTP/2" loads, and then never matches "HTTP/2.0").
    valid_http_versions: Type.Array(Type.String(), { default: [] }),
    method: Type.String({ default: 'GET', pattern: '^[A-Za-z]+$' }),
    headers: Type.Record(Type.String({ pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" }), Type.String(), { default: {} }),
    body: Type.String({ default: '' }),
    /** Read at each probe, as blackbox does, so the file may change between probes. */
    body_file: Type.Optional(Type.String({ minLength: 1 })),
    http_headers: Type.Optional(HttpHeaders),
    compression: Type.Enum(['', 'identity', 'gzip', 'deflate', 'br'], { default: '' }),
    body_size_limit: Type.Union([Type.String({ pattern: BYTE_SIZE_PATTERN }), Type.Literal(0)], { default: 0 }),
    follow_redirects: Type.Boolean({ default: true }),
    no_follow_redirects: Type.Optional(Type.Boolean()),
    fail_if_ssl: Type.Boolean({ default: false }),
    fail_if_not_ssl: Type.Boolean({ default: false }),
    fail_if_body_matches_regexp: Type.Array(Regex(), { default: [] }),
    fail_if_body_not_matches_regexp: Type.Array(Regex(), { default: [] }),
    fail_if_body_json_matches_cel: Type.Optional(CelExpression()),
    fail_if_body_json_not_matches_cel: Type.Optional(CelExpression()),
    fail_if_header_matches: Type.Array(HeaderMatch, { default: [] }),
    fail_if_header_not_matches: Type.Array(HeaderMatch, { default: [] }),
    tls_config: Type.Optional(TlsConfig),
    basic_auth: Type.Optional(BasicAuth),
    bearer_token: Type.Optional(Type.String()),
    bearer_token_file: Type.Optional(Type.String()),
    authorization: Type.Optional(Authorization),
    oauth2: Type.Optional(OAuth2),
    proxy_url: Type.Optional(Type.String({ pattern: '^https?://' })),
    proxy_connect_header: Type.Optional(ProxyConnectHeader),
    /** Take the proxy from HTTP_PROXY / HTTPS_PROXY / NO_PROXY, as Go's http.ProxyFromEnvironment. */
    proxy_from_environment: Type.Boolean({ default: false }),
    /** Comma-separated hosts, domains and CIDRs reached without proxy_url. */
    no_proxy: Type.Optional(Type.String()),
    skip_resolve_phase_with_proxy: Type.Boolean({ default: false }),
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    enable_http2: Type.Boolean({ default: true }),
    /** Pulse: stop after the response headers and close, sparing the body's bandwidth. */
    headers_only: Type.Boolean({ default: false }),
    /**
     * Pulse: connect to this `host[:port]` instead of the URL's host, keeping the URL's host in
     * the Host header and SNI (curl's --connect-to). The original Pulse curl test's Endpoint.
     */
    endpoint: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type HttpOptions = Type.Static<typeof HttpOptions>;

export const httpUnsupported: UnsupportedOption[] = [
  { path: 'enable_http3', why: 'Node.js has no HTTP/3 (QUIC) client, so Pulse cannot probe over HTTP/3' },
];
