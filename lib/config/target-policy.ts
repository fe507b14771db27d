import Type from 'typebox';

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

/**
 * `exporter.target_policy`: what this agent may probe. The agent enforces it (it sits in someone
 * else's network; the hub may be wrong or bypassed). Deny wins over allow; an allow list that is
 * not empty allows only what it lists. Link-local and cloud metadata addresses are always denied
 * unless listed in allow_cidrs.
 */
export const TargetPolicySettings = Type.Object(
  {
    allow_cidrs: Type.Array(Type.String(), { default: [] }),
    deny_cidrs: Type.Array(Type.String(), { default: [] }),
    /** Names as given in the target: exact, or `*.example.org` for any name below it. */
    allow_names: Type.Array(Type.String(), { default: [] }),
    deny_names: Type.Array(Type.String(), { default: [] }),
    allow_ports: Type.Array(Port, { default: [] }),
    deny_ports: Type.Array(Port, { default: [] }),
    /** Prometheus' /probe obeys the policy too unless this is false (the hub's runs always do). */
    apply_to_probe: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type TargetPolicySettings = Type.Static<typeof TargetPolicySettings>;
