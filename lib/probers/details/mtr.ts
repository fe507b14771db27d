import Type from 'typebox';

/** The mtr prober's `details` (exporter/probers/mtr.ts writes them; client/details.ts reads them). */
export const HopAddress = Type.Object({ ip: Type.String(), hostname: Type.Optional(Type.String()), received: Type.Number() });

export const HopRtt = Type.Object({
  last: Type.Number(),
  best: Type.Number(),
  avg: Type.Number(),
  worst: Type.Number(),
  /** Sample standard deviation, as mtr's StDev column. */
  stddev: Type.Number(),
});

/** One row of the path, as `mtr --report` prints it, with RTTs in seconds and loss as a ratio. */
export const MtrHop = Type.Object({
  /** The TTL (1 for the first router). */
  hop: Type.Number(),
  /** The address that answered most often (first seen on a tie), or "???" when none did. */
  ip: Type.String(),
  hostname: Type.Optional(Type.String()),
  /** Every address that answered this TTL (more than one under ECMP load balancing). */
  addresses: Type.Array(HopAddress),
  sent: Type.Number(),
  received: Type.Number(),
  loss_ratio: Type.Number(),
  rtt_seconds: Type.Union([HopRtt, Type.Null()]),
  /** Mean absolute difference between consecutive RTTs (mtr's Javg). */
  jitter_seconds: Type.Union([Type.Number(), Type.Null()]),
  /** Largest difference between consecutive RTTs (mtr's Jmax). */
  jitter_worst_seconds: Type.Union([Type.Number(), Type.Null()]),
  /** Added by the hub from its ASN sources (docs/asn.md); as_boundary: the path enters a new AS here. */
  asn: Type.Optional(Type.String()),
  as_name: Type.Optional(Type.String()),
  as_boundary: Type.Optional(Type.Boolean()),
});
export type MtrHop = Type.Static<typeof MtrHop>;

export const MtrDetails = Type.Object({
  target: Type.String(),
  protocol: Type.String(),
  port: Type.Optional(Type.Number()),
  address: Type.Optional(Type.String()),
  ip_version: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
  packets: Type.Optional(Type.Number()),
  interval_seconds: Type.Optional(Type.Number()),
  destination_reached: Type.Optional(Type.Boolean()),
  hop_count: Type.Optional(Type.Number()),
  path_hash: Type.Optional(Type.Number()),
  hops: Type.Optional(Type.Array(MtrHop)),
});
export type MtrDetails = Type.Static<typeof MtrDetails>;
