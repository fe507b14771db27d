import Type from 'typebox';
import { BURST_HARD_MAX, type BurstOptions } from './probers/burst.js';

/** An exporter's bounds on the bursts it runs (`exporter.burst`); defaults in BURST_DEFAULT_LIMITS. */
export const BurstLimits = Type.Object(
  {
    max_connections: Type.Optional(Type.Integer({ minimum: 1, maximum: BURST_HARD_MAX.connections })),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: BURST_HARD_MAX.concurrency })),
    /** Connections per second; a burst without `rate` runs at most this fast. */
    max_rate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: BURST_HARD_MAX.rate })),
  },
  { additionalProperties: false },
);
export type BurstLimits = Type.Static<typeof BurstLimits>;

/** What an exporter allows when `exporter.burst` does not say: a burst, not a flood. */
export const BURST_DEFAULT_LIMITS = { max_connections: 1_000, max_concurrency: 100, max_rate: 1_000 } as const;

/** Why this exporter refuses the burst (a reason naming the option and the limit), or undefined. */
export function burstLimitError(o: BurstOptions, limits: BurstLimits | undefined): string | undefined {
  const max = { ...BURST_DEFAULT_LIMITS, ...limits };
  if (o.connections > max.max_connections) {
    return `connections ${o.connections} is above this agent's limit of ${max.max_connections} (exporter.burst.max_connections)`;
  }
  if (o.concurrency > max.max_concurrency) {
    return `concurrency ${o.concurrency} is above this agent's limit of ${max.max_concurrency} (exporter.burst.max_concurrency)`;
  }
  if (o.rate !== undefined && o.rate > max.max_rate) {
    return `rate ${o.rate}/s is above this agent's limit of ${max.max_rate}/s (exporter.burst.max_rate)`;
  }
  return undefined;
}

/** The rate a burst runs at: its own, else the exporter's maximum. */
export function effectiveRate(o: BurstOptions, limits: BurstLimits | undefined): number {
  return o.rate ?? limits?.max_rate ?? BURST_DEFAULT_LIMITS.max_rate;
}
