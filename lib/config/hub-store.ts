import Type from 'typebox';

/**
 * `hub.store`: where results (and, with Redis, the registry and /sd) are kept. `embedded` is a log
 * under data_dir; `redis` is shared by every hub replica pointed at the same server.
 */
export const HubStore = Type.Object(
  {
    kind: Type.Enum(['embedded', 'redis'], { default: 'embedded' }),
    /** redis://[user:password@]host:port[/db], or rediss:// for TLS. Required for kind redis. */
    url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
    /** Read the password from this file instead of writing it in the URL. */
    password_file: Type.Optional(Type.String()),
    /** For rediss://: the CA that signed the server's certificate, and a client certificate if it asks for one. */
    ca_file: Type.Optional(Type.String()),
    cert_file: Type.Optional(Type.String()),
    key_file: Type.Optional(Type.String()),
    /** Every key starts with this, so one Redis can serve several Pulse fleets. */
    key_prefix: Type.String({ default: 'pulse:', pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
  },
  { additionalProperties: false },
);
export type HubStore = Type.Static<typeof HubStore>;
