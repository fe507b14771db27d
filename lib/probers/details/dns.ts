import Type from 'typebox';

/** The dns prober's `details` (exporter/probers/dns.ts writes them; client/details.ts reads them). */
export const SoaData = Type.Object({
  mname: Type.String(),
  rname: Type.String(),
  serial: Type.Number(),
  refresh: Type.Number(),
  retry: Type.Number(),
  expire: Type.Number(),
  minimum: Type.Number(),
});
export type SoaData = Type.Static<typeof SoaData>;

/** What a record's data shows: an address or name, TXT strings, or SOA fields. */
export const RecordData = Type.Union([Type.String(), Type.Array(Type.String()), SoaData]);
export type RecordData = Type.Static<typeof RecordData>;

export const DnsRecord = Type.Object({
  name: Type.String(),
  type: Type.String(),
  class: Type.String(),
  ttl: Type.Number(),
  data: RecordData,
  /** The whole record as one zone-file line: what validation regexes match. */
  text: Type.String(),
});
export type DnsRecord = Type.Static<typeof DnsRecord>;

export const DnsFlags = Type.Object({ aa: Type.Boolean(), tc: Type.Boolean(), rd: Type.Boolean(), ra: Type.Boolean(), ad: Type.Boolean(), cd: Type.Boolean() });
export type DnsFlags = Type.Static<typeof DnsFlags>;

export const DnsDetails = Type.Object({
  resolver: Type.Object({
    /** The probe target as given. */
    target: Type.String(),
    host: Type.String(),
    port: Type.Number(),
    /** `ip:port` actually asked (`[v6]:port`), once the host is resolved. */
    address: Type.Optional(Type.String()),
    ip: Type.Optional(Type.String()),
    ip_protocol: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
    /** The transport that gave the answer: `tcp` after a truncated UDP answer. */
    transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp'), Type.Literal('tcp-tls')]),
    retried_over_tcp: Type.Optional(Type.Boolean()),
  }),
  query: Type.Object({
    name: Type.String(),
    type: Type.String(),
    type_code: Type.Number(),
    class: Type.String(),
    recursion_desired: Type.Boolean(),
    id: Type.Optional(Type.Number()),
  }),
  rcode: Type.Optional(Type.String()),
  flags: Type.Optional(DnsFlags),
  answer: Type.Optional(Type.Array(DnsRecord)),
  authority: Type.Optional(Type.Array(DnsRecord)),
  additional: Type.Optional(Type.Array(DnsRecord)),
  /** Seconds, as probe_dns_duration_seconds' phases. */
  timings: Type.Object({ resolve: Type.Number(), connect: Type.Number(), request: Type.Number() }),
});
export type DnsDetails = Type.Static<typeof DnsDetails>;
