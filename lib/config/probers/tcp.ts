import Type from 'typebox';
import { Duration, Regex, TlsConfig, type UnsupportedOption } from '../common.js';

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
    /** Pulse's TCP ping: this many connects instead of one dialogue (for paths that drop ICMP). */
    packets: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Between the starts of two TCP ping connects (default 1s; unset keeps tcp modules as blackbox has them). */
    interval: Type.Optional(Duration()),
    /** A TCP ping connect unanswered this long is lost (default 1s: before the kernel resends the SYN). */
    packet_timeout: Type.Optional(Duration()),
  },
  { additionalProperties: false },
);

/** TCP ping measures the handshake alone: a dialogue or TLS would time something else. */
export function tcpOptionsError(o: TcpOptions): string | undefined {
  if (o.packets === undefined) return undefined;
  if (o.query_response.length > 0) return 'packets (TCP ping) cannot be combined with query_response';
  if (o.tls) return 'packets (TCP ping) cannot be combined with tls';
  return undefined;
}
export type TcpOptions = Type.Static<typeof TcpOptions>;

/** Every 0.23 tcp option is supported; anything else is refused as an unknown key. */
export const tcpUnsupported: UnsupportedOption[] = [];
