import Type from 'typebox';
import { PROBER_NAMES } from './config/module.js';

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
    type: Type.Enum(PROBER_NAMES),
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
