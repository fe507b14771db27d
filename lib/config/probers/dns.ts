import Type from 'typebox';
import { Regex, TlsConfig, type UnsupportedOption } from '../common.js';
import { DNS_CLASS_NAMES, DNS_RCODE_NAMES, DNS_TYPE_NAMES } from './dns-names.js';

/**
 * A DNS name as blackbox.yml writes `query_name`: labels of letters, digits, `-`, `_`, `*` and `/`
 * (RFC 2317 reverse zones), 1-63 characters each, an optional trailing dot, or `.` for the root.
 * The 253-character limit is checked by maxLength (254 with the trailing dot).
 */
export const DNS_NAME_PATTERN = '^(\\.|([A-Za-z0-9_*/-]{1,63}\\.)*[A-Za-z0-9_*/-]{1,63}\\.?)$';

/** blackbox_exporter's DNSRRValidator: each regex is matched against every record's zone-file text. */
export const DnsRrValidator = Type.Object(
  {
    fail_if_matches_regexp: Type.Array(Regex(), { default: [] }),
    fail_if_all_match_regexp: Type.Array(Regex(), { default: [] }),
    fail_if_not_matches_regexp: Type.Array(Regex(), { default: [] }),
    fail_if_none_matches_regexp: Type.Array(Regex(), { default: [] }),
  },
  { additionalProperties: false, default: {} },
);
export type DnsRrValidator = Type.Static<typeof DnsRrValidator>;

/** The `dns:` section of a module: blackbox_exporter 0.23's dns options with its defaults. */
export const DnsOptions = Type.Object(
  {
    query_name: Type.String({ minLength: 1, maxLength: 254, pattern: DNS_NAME_PATTERN }),
    // blackbox accepts type names only; a number (the original Pulse's `QType: 1`) or TYPEnnn also works here.
    query_type: Type.Union(
      [Type.Enum(DNS_TYPE_NAMES), Type.String({ pattern: '^(TYPE)?[0-9]{1,5}$' }), Type.Integer({ minimum: 1, maximum: 65535 })],
      { default: 'ANY' },
    ),
    query_class: Type.Enum(DNS_CLASS_NAMES, { default: 'IN' }),
    recursion_desired: Type.Boolean({ default: true }),
    valid_rcodes: Type.Array(Type.Enum(DNS_RCODE_NAMES), { default: ['NOERROR'] }),
    validate_answer_rrs: DnsRrValidator,
    validate_authority_rrs: DnsRrValidator,
    validate_additional_rrs: DnsRrValidator,
    transport_protocol: Type.Enum(['udp', 'tcp'], { default: 'udp' }),
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    source_ip_address: Type.Optional(Type.String({ minLength: 1 })),
    dns_over_tls: Type.Boolean({ default: false }),
    tls_config: Type.Optional(TlsConfig),
  },
  { additionalProperties: false },
);
export type DnsOptions = Type.Static<typeof DnsOptions>;

export const dnsUnsupported: UnsupportedOption[] = [];
