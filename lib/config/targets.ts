import Type from 'typebox';

export const LABEL_NAME_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';

/** An equality selector on agent labels; `name` selects by agent name. Empty selects every agent. */
// The key pattern goes in propertyNames: a pattern on Record's key schema is not enforced by Value.Check.
export const AgentSelector = Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
  default: {},
  propertyNames: { pattern: LABEL_NAME_PATTERN },
});
export type AgentSelector = Type.Static<typeof AgentSelector>;

/** One entry of `targets:`: a probe job the hub hands to Prometheus through `/sd`. */
export const ProbeJob = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    /** A module name from the exporters' `modules:`. */
    module: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    targets: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1 }),
    agents: AgentSelector,
    /** Extra labels on every series of this job. */
    labels: Type.Record(Type.String(), Type.String(), { default: {}, propertyNames: { pattern: LABEL_NAME_PATTERN } }),
  },
  { additionalProperties: false },
);
export type ProbeJob = Type.Static<typeof ProbeJob>;
