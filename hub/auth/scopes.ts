import { SCOPES, type Scope } from '../../lib/config/hub-auth.js';

/**
 * What a caller of the users' port may do. `read` sees (agents, results, /sd, /metrics), `run`
 * starts ad-hoc tests, `operate` runs host-check operations, `admin` changes the hub (forgets
 * agents, future write APIs) and holds every other scope too.
 */
export { SCOPES };
export type { Scope };

/** What a route declares in its Fastify `config.scope`; `public` only for health checks. */
export type RouteScope = Scope | 'public';
export const ROUTE_SCOPES: readonly RouteScope[] = [...SCOPES, 'public'];

export function isRouteScope(value: unknown): value is RouteScope {
  return typeof value === 'string' && (ROUTE_SCOPES as readonly string[]).includes(value);
}

/** Scopes are not ranked, except that admin holds all: a `run` token cannot read /sd. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes(needed) || held.includes('admin');
}
