import Type from 'typebox';
import { Regex, TlsConfig, type UnsupportedOption } from '../common.js';

/**
 * One step of a tcp dialogue, as blackbox_exporter 0.23 runs it: read lines until `expect`
 * matches, then write `send` (with the match's `${1}` / `${name}` expanded) plus a newline, then
 * upgrade to TLS when `starttls` is set.
 */
export const QueryResponse = Type.Object(
  {
    expect: Type.Optional(Regex()),
    send: Type.Optional(Type.String()),
    starttls: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type QueryResponse = Type.Static<typeof QueryResponse>;

/** The `tcp:` section of a module: blackbox_exporter 0.23's tcp prober options, all of them. */
export const TcpOptions = Type.Object(
  {
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    source_ip_address: Type.Optional(Type.String({ minLength: 1 })),
    query_response: Type.Array(QueryResponse, { default: [] }),
    tls: Type.Boolean({ default: false }),
    tls_config: Type.Optional(TlsConfig),
  },
  { additionalProperties: false },
);
export type TcpOptions = Type.Static<typeof TcpOptions>;

/** Every 0.23 tcp option is supported; anything else is refused as an unknown key. */
export const tcpUnsupported: UnsupportedOption[] = [];
