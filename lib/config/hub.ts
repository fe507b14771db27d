import Type from 'typebox';

/** The `hub:` section. PLACEHOLDER: filled in by the hub's work. */
export const HubSettings = Type.Object({}, { additionalProperties: false });
export type HubSettings = Type.Static<typeof HubSettings>;
