import Type from 'typebox';

/**
 * What the http prober puts under `details.tls` (the whole chain): the schema
 * the readers (client/details.ts) read through, and exporter/probers/shared/tls-info.ts fills.
 */
export const CertInfo = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  /** DNS names of the subjectAltName (what blackbox's subjectalternative label lists). */
  dns_names: Type.Array(Type.String()),
  ip_addresses: Type.Array(Type.String()),
  not_before: Type.String(),
  not_after: Type.String(),
  /** Unix seconds of not_after. */
  not_after_seconds: Type.Number(),
  fingerprint_sha256: Type.String(),
  serial: Type.String(),
});
export type CertInfo = Type.Static<typeof CertInfo>;

export const TlsInfo = Type.Object({
  /** As blackbox labels it: "TLS 1.3". */
  version: Type.String(),
  cipher: Type.String(),
  /** The IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), as Go's tls.CipherSuiteName gives it. */
  cipher_standard: Type.Optional(Type.String()),
  alpn: Type.Optional(Type.String()),
  /** Whether the chain verified against the trust roots (false with insecure_skip_verify). */
  verified: Type.Boolean(),
  verify_error: Type.Optional(Type.String()),
  /** The leaf first, then its issuers. */
  chain: Type.Array(CertInfo),
});
export type TlsInfo = Type.Static<typeof TlsInfo>;

/**
 * The shorter `details.tls` of the probers that speak TLS inside a dialogue or a call (tcp, unix,
 * grpc): the leaf certificate rather than the whole chain, and for tcp whether TLS came at
 * connect or by STARTTLS.
 */
export const TlsSummary = Type.Object({
  via: Type.Optional(Type.Union([Type.Literal('connect'), Type.Literal('starttls')])),
  version: Type.String(),
  cipher: Type.String(),
  verified: Type.Boolean(),
  verify_error: Type.Optional(Type.String()),
  certificate: Type.Optional(CertInfo),
  chain_length: Type.Number(),
});
export type TlsSummary = Type.Static<typeof TlsSummary>;
