import Type from 'typebox';

/** The sockets prober's `details` (exporter/probers/sockets.ts writes them; the page lists them). */
/** One end of a TCP connection (also the tcp prober's `connection`). */
export const Endpoint = Type.Object({ address: Type.String(), port: Type.Number() });

export const SocketEntry = Type.Object({
  family: Type.Union([Type.Literal(4), Type.Literal(6)]),
  /** As `ss` names it, lower-cased: established, time_wait, listen... */
  state: Type.String(),
  local: Endpoint,
  remote: Endpoint,
});
export type SocketEntry = Type.Static<typeof SocketEntry>;

/** The filter as parsed from the target (an address, a port, both, or everything). */
const Filter = Type.Object({ address: Type.Optional(Type.String()), port: Type.Optional(Type.Number()) });

export const SocketsDetails = Type.Object({
  filter: Type.Optional(Filter),
  total: Type.Optional(Type.Number()),
  /** Matching sockets by family ("4", "6") and state. */
  counts: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Number()))),
  /** The first max_listed matching sockets; absent on a plain /probe scrape. */
  sockets: Type.Optional(Type.Array(SocketEntry)),
});
export type SocketsDetails = Type.Static<typeof SocketsDetails>;
