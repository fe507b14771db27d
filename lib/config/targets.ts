import Type from 'typebox';

/** The `targets:` section (probe jobs for /sd). PLACEHOLDER: filled in by the hub's work. */
export const ProbeJob = Type.Object({}, { additionalProperties: false });
export type ProbeJob = Type.Static<typeof ProbeJob>;
