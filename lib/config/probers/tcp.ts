// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references
import Type from 'typebox';
import { Duration, Regex, TlsConfig, type UnsupportedOption } from '../common.js';

/** A label of probe_expect_info: `value` may use `${1}` / `${name}` of the step's `expect` match. */
export const ExpectLabel = Type.Object(
  { name: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), value: Type.String({ default: '' }) },
  { additionalProperties: false },
);

/**
 * One step of a tcp dialogue, as blackbox_exporter 0.28 runs it: read lines until `expect`
 * matches, then write `send` (with the match's `${1}` / `${name}` expanded) plus a newline, then
 * upgrade to TLS when `starttls` is set.
 */
export const QueryResponse = Type.Object(
  {
    expect: Type.Optional(Regex()),
    /** blackbox 0.25+: read as many bytes as this string has and compare them exactly. */
    expect_bytes: Type.Optional(Type.String()),
    /** blackbox 0.25+: labels of probe_expect_info, their values expanded from the `expect` match. */
    labels: Type.Optional(Type.Array(ExpectLabel)),
    send: Type.Optional(Type.String()),
    /**
     * Pulse's spelling of a `send: !!binary <base64>` in blackbox.yml (the loader rewrites it):
     * bytes sent as they are, then a newline, as Go writes the decoded string.
     */
    send_bytes: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$' })),
    starttls: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type QueryResponse = Type.Static<typeof QueryResponse>;

/** The `tcp:` section of a module: blackbox_exporter 0.28's tcp prober options, all of them. */
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
function tcpPingOptionsError(o: TcpOptions): string | undefined {
  if (o.packets === undefined) return undefined;
  if (o.query_response.length > 0) return 'packets (TCP ping) cannot be combined with query_response';
  if (o.tls) return 'packets (TCP ping) cannot be combined with tls';
  return undefined;
}
export type TcpOptions = Type.Static<typeof TcpOptions>;

/** Every tcp option up to 0.28 is supported; anything else is refused as an unknown key. */
export const tcpUnsupported: UnsupportedOption[] = [];

/** blackbox's QueryResponse rule, for every dialogue (tcp, unix, websocket). */
export function queryResponseError(steps: readonly QueryResponse[]): string | undefined {
  const i = steps.findIndex((s) => s.expect !== undefined && s.expect !== '' && s.expect_bytes !== undefined && s.expect_bytes !== '');
  return i < 0 ? undefined : `query_response[${i}]: expect and expect_bytes are mutually exclusive`;
}

export function tcpOptionsError(o: TcpOptions): string | undefined {
  return queryResponseError(o.query_response) ?? tcpPingOptionsError(o);
}
