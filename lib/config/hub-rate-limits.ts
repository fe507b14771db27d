import Type from 'typebox';

/** One identity's limits; every key may be overridden per identity under `identities:`. */
const limitFields = {
  /** Measurements and operations one identity may start per minute (a fixed one-minute window). */
  tests_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  /** Measurements and operations of one identity running at once, over all hub replicas. */
  concurrent_measurements: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  /** Selected agents × targets (× checks, for operations) in one measurement. */
  agent_targets_per_measurement: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
};

export const IdentityRateLimits = Type.Object(limitFields, { additionalProperties: false });
export type IdentityRateLimits = Type.Static<typeof IdentityRateLimits>;

/** `hub.rate_limits`: what one identity (token name, certificate CN, or anonymous) may start. */
export const HubRateLimits = Type.Object(
  {
    ...limitFields,
    /** Limits for named identities; keys not given there come from the defaults above. */
    identities: Type.Optional(Type.Record(Type.String({ minLength: 1 }), IdentityRateLimits)),
  },
  { additionalProperties: false },
);
export type HubRateLimits = Type.Static<typeof HubRateLimits>;

/**
 * Defaults: a person or a CI job never meets them; one identity can hold half of the hub's
 * default 32 running measurements, so others always find room.
 */
export const DEFAULT_RATE_LIMITS: Required<IdentityRateLimits> = {
  tests_per_minute: 240,
  concurrent_measurements: 16,
  agent_targets_per_measurement: 10_000,
};

/** The limits that apply to one identity. */
export function limitsFor(settings: HubRateLimits | undefined, identity: string): Required<IdentityRateLimits> {
  const own = settings?.identities && Object.hasOwn(settings.identities, identity) ? settings.identities[identity] : undefined;
  const pick = <K extends keyof IdentityRateLimits>(k: K) => own?.[k] ?? settings?.[k] ?? DEFAULT_RATE_LIMITS[k];
  return {
    tests_per_minute: pick('tests_per_minute'),
    concurrent_measurements: pick('concurrent_measurements'),
    agent_targets_per_measurement: pick('agent_targets_per_measurement'),
  };
}
