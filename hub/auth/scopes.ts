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

/** "read,run" as scopes; throws naming the offending word. */
export function parseScopes(list: string): Scope[] {
  const words = list
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) throw new Error(`--scope needs one or more of ${SCOPES.join(', ')}`);
  for (const w of words) {
    if (!(SCOPES as readonly string[]).includes(w)) throw new Error(`unknown scope "${w.slice(0, 40)}" (one of ${SCOPES.join(', ')})`);
  }
  return [...new Set(words)] as Scope[];
}
