import Type from 'typebox';
import { AGENT_LABEL_PATTERN } from './reserved-labels.js';

/**
 * Hub ↔ exporter wire protocol. Bump when a message changes incompatibly; the hub refuses agents
 * whose protocol it cannot speak instead of misreading them.
 */
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_PROTOCOLS: readonly number[] = [1];

/** POST /api/v1/run: one ad-hoc probe on this exporter. */
export const RunRequest = Type.Object(
  {
    protocol: Type.Integer({ minimum: 1 }),
    /** A prober's name; the exporter answers PULSE_UNKNOWN_TYPE for one it does not know. */
    type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    target: Type.String({ minLength: 1, maxLength: 2048 }),
    /** The prober's module section, as in pulse.yml (e.g. `{query_name: "example.org"}` for dns). */
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Run with a module from the exporter's config instead of inline options. */
    module: Type.Optional(Type.String({ maxLength: 256 })),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600 })),
  },
  { additionalProperties: false },
);
export type RunRequest = Type.Static<typeof RunRequest>;

export const RunResponse = Type.Object({
  protocol: Type.Integer(),
  type: Type.String(),
  target: Type.String(),
  success: Type.Boolean(),
  reason: Type.Optional(Type.String()),
  duration_seconds: Type.Number(),
  timeout_seconds: Type.Number(),
  /** The probe's metrics as name → value (labelled samples as a list). */
  metrics: Type.Record(Type.String(), Type.Unknown()),
  details: Type.Record(Type.String(), Type.Unknown()),
  logs: Type.Array(Type.Unknown()),
});
export type RunResponse = Type.Static<typeof RunResponse>;

/** Agent ports on the hub (mutual TLS): registration, then heartbeats with the same body. */
export const REGISTER_PATH = '/api/v1/agents/register';
export const HEARTBEAT_PATH = '/api/v1/agents/heartbeat';

/**
 * What an exporter tells the hub about itself. No name: the hub takes the agent's name from the
 * CN of the client certificate it connects with.
 */
export const AgentAnnouncement = Type.Object(
  {
    protocol: Type.Integer({ minimum: 1 }),
    /** Where the hub reaches this exporter (https://host:port). A 0.0.0.0 or [::] host means "the address I connect from". */
    url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
    // propertyNames, not a key pattern: Value.Check enforces only the former on a Record.
    labels: Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
      propertyNames: { pattern: AGENT_LABEL_PATTERN, maxLength: 128 },
    }),
    probers: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
    ip_versions: Type.Array(Type.Union([Type.Literal(4), Type.Literal(6)]), { maxItems: 2 }),
    version: Type.String({ maxLength: 128 }),
    /** The agent's system resolvers (resolv.conf nameservers). Optional: older agents omit it. */
    resolvers: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16 })),
    /** The agent's own interface addresses (not loopback). Optional: older agents omit it. */
    addresses: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type AgentAnnouncement = Type.Static<typeof AgentAnnouncement>;

export const AnnouncementAccepted = Type.Object({
  protocol: Type.Integer(),
  name: Type.String(),
  /** The URL the hub will call, after substituting the peer address for an unspecified host. */
  url: Type.String(),
  heartbeat_interval_seconds: Type.Number(),
});
export type AnnouncementAccepted = Type.Static<typeof AnnouncementAccepted>;
