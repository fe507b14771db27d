import Type from 'typebox';

/** The websocket prober's `details` (exporter/probers/websocket/run.ts writes them). */
export const WebsocketDetails = Type.Object({
  ip: Type.Optional(Type.String()),
  /** The HTTP status of the upgrade (101 when it was accepted). */
  status_code: Type.Optional(Type.Number()),
  upgraded: Type.Optional(Type.Boolean()),
});
export type WebsocketDetails = Type.Static<typeof WebsocketDetails>;
