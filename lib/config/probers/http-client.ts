import Type from 'typebox';
import { TlsConfig } from '../common.js';

/**
 * Parts of Prometheus common's http client config that blackbox_exporter 0.24+ inlines into the
 * `http:` section, beyond what 0.23 had.
 */

/** `http_headers`: per header name, values given inline, as secrets (never shown), or read from files. */
export const HttpHeader = Type.Object(
  {
    // Optional rather than defaulted: the schema's defaults do not reach into a record's values.
    values: Type.Optional(Type.Array(Type.String())),
    secrets: Type.Optional(Type.Array(Type.String())),
    files: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false },
);
export type HttpHeader = Type.Static<typeof HttpHeader>;

export const HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

export const HttpHeaders = Type.Record(Type.String({ pattern: HEADER_NAME_PATTERN }), HttpHeader);
export type HttpHeaders = Type.Static<typeof HttpHeaders>;

/** `proxy_connect_header`: headers sent on the proxy's CONNECT, each a list of (secret) values. */
export const ProxyConnectHeader = Type.Record(Type.String({ pattern: HEADER_NAME_PATTERN }), Type.Array(Type.String()));
export type ProxyConnectHeader = Type.Static<typeof ProxyConnectHeader>;

/** `oauth2`: the client-credentials grant; the token is fetched from token_url and reused until it expires. */
export const OAuth2 = Type.Object(
  {
    client_id: Type.String({ minLength: 1 }),
    client_secret: Type.Optional(Type.String()),
    client_secret_file: Type.Optional(Type.String({ minLength: 1 })),
    scopes: Type.Array(Type.String(), { default: [] }),
    token_url: Type.String({ pattern: '^https?://' }),
    endpoint_params: Type.Record(Type.String(), Type.String(), { default: {} }),
    tls_config: Type.Optional(TlsConfig),
  },
  { additionalProperties: false },
);
export type OAuth2 = Type.Static<typeof OAuth2>;
