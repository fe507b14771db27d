import type { Scope } from './scopes.js';

/** Who made a request on the users' port. */
export interface Identity {
  /** `anonymous` only when the hub does not require authentication. */
  kind: 'token' | 'certificate' | 'anonymous';
  /** Token name, certificate CN, or "anonymous": audit lines, metrics and rate limits use it. */
  name: string;
  scopes: readonly Scope[];
}

export const ANONYMOUS: Identity = { kind: 'anonymous', name: 'anonymous', scopes: ['admin'] };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every routed request that is not public. */
    pulseIdentity?: Identity;
  }
  interface FastifyContextConfig {
    /** Who may call the route (see hub/auth/scopes.ts); every users' port route must say. */
    scope?: import('./scopes.js').RouteScope;
  }
}
