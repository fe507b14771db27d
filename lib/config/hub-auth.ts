import Type from 'typebox';

/** Scopes of the hub's users' port; hub/auth/scopes.ts says what each allows. */
export const SCOPES = ['read', 'run', 'operate', 'admin'] as const;
export const Scope = Type.Union([Type.Literal('read'), Type.Literal('run'), Type.Literal('operate'), Type.Literal('admin')]);
export type Scope = Type.Static<typeof Scope>;

/** The acknowledgement needed to run the users' port without authentication on a network address. */
export const NO_AUTH_ACK = 'allow_unauthenticated_network_access';

/** `hub.auth`: who may call the users' port. */
export const HubAuth = Type.Object(
  {
    /** Default: on, unless the users' port listens on loopback only. */
    required: Type.Optional(Type.Boolean()),
    /** With `required: false` on a non-loopback address: "yes, anyone who reaches it may run tests". */
    [NO_AUTH_ACK]: Type.Optional(Type.Boolean()),
    /** Scopes of client certificates (kind client) by CN; a CN not listed gets `client_default_scopes`. */
    client_scopes: Type.Optional(Type.Record(Type.String(), Type.Array(Scope, { minItems: 1 }))),
    client_default_scopes: Type.Optional(Type.Array(Scope)),
  },
  { additionalProperties: false },
);
export type HubAuth = Type.Static<typeof HubAuth>;
