import Type from 'typebox';

/** The icmp prober's `details` (exporter/probers/icmp.ts writes them; client/details.ts reads them). */
export const IcmpRtt = Type.Object({ min: Type.Number(), avg: Type.Number(), max: Type.Number(), stddev: Type.Number() });

export const IcmpReply = Type.Object({
  seq: Type.Number(),
  /** TTL (IPv4) or hop limit (IPv6) of the reply. */
  ttl: Type.Number(),
  /** Seconds; null when ping printed no time for it. */
  rtt_seconds: Type.Union([Type.Number(), Type.Null()]),
});

/** An ICMP error a router sent instead of a reply (unreachable, TTL exceeded, fragmentation needed). */
export const IcmpError = Type.Object({ seq: Type.Number(), from: Type.String(), message: Type.String() });

export const IcmpDetails = Type.Object({
  target: Type.String(),
  /** Until the target resolved, none of the rest. */
  address: Type.Optional(Type.String()),
  ip_protocol: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
  packets_sent: Type.Optional(Type.Number()),
  packets_received: Type.Optional(Type.Number()),
  packet_loss_ratio: Type.Optional(Type.Number()),
  duplicates: Type.Optional(Type.Number()),
  /** Seconds; null without a timed reply. */
  rtt_seconds: Type.Optional(Type.Union([IcmpRtt, Type.Null()])),
  reply_hop_limit: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  replies: Type.Optional(Type.Array(IcmpReply)),
  errors: Type.Optional(Type.Array(IcmpError)),
  /** Seconds of each phase reached (probe_icmp_duration_seconds). */
  phases: Type.Object({ resolve: Type.Optional(Type.Number()), setup: Type.Optional(Type.Number()), rtt: Type.Optional(Type.Number()) }),
});
export type IcmpDetails = Type.Static<typeof IcmpDetails>;
