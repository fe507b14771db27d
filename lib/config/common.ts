import Type from 'typebox';
import { DURATION_PATTERN } from '../duration.js';

/** A Prometheus duration string such as `5s` or `1m30s`. */
export const Duration = (opts: { default?: string; description?: string } = {}) =>
  Type.String({ pattern: DURATION_PATTERN, ...opts });

/** A regular expression in RE2/Go syntax as blackbox.yml writes them; checked to compile. */
/** The schema format that marks a regex option (ad-hoc requests may not carry them). */
export const REGEX_FORMAT = 'pulse-regex';
export const Regex = () => Type.String({ format: REGEX_FORMAT });

/** A CEL expression over a JSON body (blackbox 0.27+); checked to compile. */
export const CEL_FORMAT = 'pulse-cel';
export const CelExpression = () => Type.String({ format: CEL_FORMAT });

export const IpProtocol = Type.Enum(['ip4', 'ip6']);

/** blackbox_exporter's tls_config (Prometheus common config). */
export const TlsConfig = Type.Object(
  {
    ca_file: Type.Optional(Type.String()),
    cert_file: Type.Optional(Type.String()),
    key_file: Type.Optional(Type.String()),
    server_name: Type.Optional(Type.String()),
    insecure_skip_verify: Type.Optional(Type.Boolean({ default: false })),
    min_version: Type.Optional(Type.Enum(['TLS10', 'TLS11', 'TLS12', 'TLS13'])),
    max_version: Type.Optional(Type.Enum(['TLS10', 'TLS11', 'TLS12', 'TLS13'])),
  },
  { additionalProperties: false },
);
export type TlsConfig = Type.Static<typeof TlsConfig>;

/** Paths in a prober section that blackbox_exporter knows but Pulse does not support yet. */
export interface UnsupportedOption {
  /** Key path below the prober's section, dot-separated. */
  path: string;
  why: string;
}
