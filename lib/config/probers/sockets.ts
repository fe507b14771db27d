import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The TCP states a `sockets` test may be narrowed to (the `state` label's values). */
export const SOCKET_STATES = [
  'established',
  'syn_sent',
  'syn_recv',
  'fin_wait1',
  'fin_wait2',
  'time_wait',
  'close',
  'close_wait',
  'last_ack',
  'listen',
  'closing',
] as const;

/**
 * The `sockets:` section: the agent's own TCP sockets (netstat). The target is the filter on the
 * remote end: `*` for all, `ADDR`, `ADDR:PORT`, `[V6]:PORT` or `*:PORT`.
 */
export const SocketsOptions = Type.Object(
  {
    /** Only sockets in these states; all states when empty. */
    states: Type.Array(Type.Enum([...SOCKET_STATES]), { default: [], maxItems: SOCKET_STATES.length }),
    /** How many matching sockets the details list one by one (the counts cover all of them). */
    max_listed: Type.Integer({ minimum: 0, maximum: 5_000, default: 500 }),
  },
  { additionalProperties: false },
);
export type SocketsOptions = Type.Static<typeof SocketsOptions>;

export const socketsUnsupported: UnsupportedOption[] = [];
