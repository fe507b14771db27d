import Type from 'typebox';
import { Duration, type UnsupportedOption } from '../common.js';

/** An IPv4 or IPv6 literal (optionally with a zone); the prober checks it parses before use. */
export const IP_LITERAL_PATTERN = '^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$';

/**
 * The `icmp:` section of a module: blackbox_exporter 0.23's icmp options with its defaults, plus
 * `packets` and `interval` for smokeping-style multi-packet probes (one packet by default, so a
 * module copied from blackbox.yml behaves as it did there).
 */
export const IcmpOptions = Type.Object(
  {
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    source_ip_address: Type.Optional(Type.String({ pattern: IP_LITERAL_PATTERN })),
    /** ICMP payload bytes; 0 keeps ping's default (56). Values below 16 are raised to 16 (see args.ts). */
    payload_size: Type.Integer({ minimum: 0, maximum: 65_000, default: 0 }),
    dont_fragment: Type.Boolean({ default: false }),
    /** IP TTL / hop limit of the echo requests; 0 keeps the system default. */
    ttl: Type.Integer({ minimum: 0, maximum: 255, default: 0 }),
    packets: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
    interval: Duration({ default: '1s' }),
  },
  { additionalProperties: false },
);
export type IcmpOptions = Type.Static<typeof IcmpOptions>;

export const icmpUnsupported: UnsupportedOption[] = [];
