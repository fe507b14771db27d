import Type from 'typebox';

/** The burst prober's `details` (exporter/probers/burst/ writes them; client/ and the page read them). */

/** Why an attempt failed; the `kind` label of probe_burst_failures. */
export const FailureKind = Type.Union([
  Type.Literal('refused'),
  Type.Literal('reset'),
  Type.Literal('timeout'),
  Type.Literal('tls'),
  Type.Literal('proxy'),
  Type.Literal('http'),
  Type.Literal('source_port'),
  Type.Literal('other'),
]);
export type FailureKind = Type.Static<typeof FailureKind>;
export const FAILURE_KINDS: readonly FailureKind[] = FailureKind.anyOf.map((l) => l.const);

/** One connection of a burst; times in seconds. */
export const BurstAttempt = Type.Object({
  n: Type.Number(),
  /** Seconds since the burst began. */
  start: Type.Number(),
  local_port: Type.Optional(Type.Number()),
  /** TCP handshake (through a proxy: until the tunnel is up). */
  connect: Type.Optional(Type.Number()),
  tls: Type.Optional(Type.Number()),
  /** From the request written to the first response byte. */
  first_byte: Type.Optional(Type.Number()),
  status: Type.Optional(Type.Number()),
  outcome: Type.Union([Type.Literal('ok'), FailureKind]),
  error: Type.Optional(Type.String()),
});
export type BurstAttempt = Type.Static<typeof BurstAttempt>;

export const Quantiles = Type.Object({ p50: Type.Number(), p90: Type.Number(), p99: Type.Number(), max: Type.Number() });
export type Quantiles = Type.Static<typeof Quantiles>;

export const BurstSummary = Type.Object({
  attempts: Type.Number(),
  succeeded: Type.Number(),
  failures: Type.Record(FailureKind, Type.Number()),
  /** Handshakes slower than the threshold (whether or not the attempt then succeeded). */
  stalled: Type.Number(),
  connect: Type.Optional(Quantiles),
  tls: Type.Optional(Quantiles),
  first_byte: Type.Optional(Quantiles),
  /** Connect times by bucket: `le` is the bucket's upper bound ("+Inf" for the last). */
  histogram: Type.Array(Type.Object({ le: Type.String(), count: Type.Number() })),
});
export type BurstSummary = Type.Static<typeof BurstSummary>;

export const BurstDetails = Type.Object({
  host: Type.Optional(Type.String()),
  port: Type.Optional(Type.Number()),
  /** host:port of the proxy the attempts tunnel through, or the address they connect to. */
  proxy: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  plan: Type.Optional(Type.Object({ connections: Type.Number(), concurrency: Type.Number(), rate: Type.Number(), stall_threshold: Type.Number() })),
  summary: Type.Optional(BurstSummary),
  event_loop_delay_max_seconds: Type.Optional(Type.Number()),
  duration_seconds: Type.Optional(Type.Number()),
  /** The first attempts one by one; absent on a plain /probe scrape. */
  attempts: Type.Optional(Type.Array(BurstAttempt)),
});
export type BurstDetails = Type.Static<typeof BurstDetails>;
