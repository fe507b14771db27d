import Type from 'typebox';
import { Duration, TlsConfig, type UnsupportedOption } from '../common.js';
import { IP_LITERAL_PATTERN } from './icmp.js';

/**
 * Hard maxima of a burst, whoever asks: the schema refuses anything above them. An exporter's
 * `exporter.burst` limits (lower by default, see lib/config/burst-limits.ts) refuse less.
 */
export const BURST_HARD_MAX = { connections: 10_000, concurrency: 1_000, rate: 10_000 } as const;

/** One HTTP request per connection, timed to its first response byte. */
export const BurstRequest = Type.Object(
  {
    method: Type.Enum(['GET', 'HEAD'], { default: 'HEAD' }),
    path: Type.String({ pattern: '^/[\\x21-\\x7e]*$', maxLength: 2048, default: '/' }),
    /** Host header; the target's host when unset. */
    host: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.:\\[\\]-]+$', maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type BurstRequest = Type.Static<typeof BurstRequest>;

/** Local ports the connections are opened from, in turn (reused when there are more connections). */
export const SourcePorts = Type.Object(
  {
    first: Type.Integer({ minimum: 1, maximum: 65_535 }),
    last: Type.Integer({ minimum: 1, maximum: 65_535 }),
  },
  { additionalProperties: false },
);

/**
 * The `burst:` section of a module: N connections to host:port at a concurrency (or a rate),
 * optionally TLS, one HTTP request each, through a CONNECT proxy, from a fixed source port range.
 */
export const BurstOptions = Type.Object(
  {
    connections: Type.Integer({ minimum: 1, maximum: BURST_HARD_MAX.connections, default: 100 }),
    concurrency: Type.Integer({ minimum: 1, maximum: BURST_HARD_MAX.concurrency, default: 10 }),
    /** New connections per second; unset: as fast as the concurrency allows. */
    rate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: BURST_HARD_MAX.rate })),
    /** A handshake slower than this counts as stalled (1 s: the first SYN retransmission). */
    stall_threshold: Duration({ default: '1s' }),
    /** Cap on one attempt (connect, TLS and request); the probe's timeout caps the whole burst. */
    attempt_timeout: Duration({ default: '5s' }),
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    source_ip_address: Type.Optional(Type.String({ pattern: IP_LITERAL_PATTERN })),
    source_ports: Type.Optional(SourcePorts),
    tls: Type.Boolean({ default: false }),
    tls_config: Type.Optional(TlsConfig),
    request: Type.Optional(BurstRequest),
    /** An HTTP proxy every connection goes through with CONNECT; credentials in the URL. */
    proxy_url: Type.Optional(Type.String({ pattern: '^http://', maxLength: 2048 })),
  },
  { additionalProperties: false },
);
export type BurstOptions = Type.Static<typeof BurstOptions>;

export const burstUnsupported: UnsupportedOption[] = [];

/** Rules across options the schema cannot express. */
export function burstOptionsError(o: BurstOptions): string | undefined {
  if (o.source_ports && o.source_ports.first > o.source_ports.last) return 'source_ports: first must not be above last';
  if (o.source_ports && o.proxy_url) return 'source_ports cannot be combined with proxy_url (the proxy opens the connections to the target)';
  if (o.proxy_url) {
    try {
      const u = new URL(o.proxy_url);
      if (u.pathname !== '/' || u.search !== '') return 'proxy_url: only scheme, credentials, host and port are allowed';
    } catch {
      return 'proxy_url: not a URL';
    }
  }
  return undefined;
}
