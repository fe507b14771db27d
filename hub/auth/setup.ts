import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { installAudit } from './audit.js';
import type { HubAuth } from '../../lib/config/hub-auth.js';
import { enforceScopes, type RouteRecord } from './enforce.js';
import { decideAuth } from './required.js';
import { TokenVerifier } from './token-verifier.js';

export interface HubAuthState {
  required: boolean;
  /** Every users' port route with its scope, collected as routes are added. */
  routes: RouteRecord[];
}

/**
 * Authentication for the users' port; call before any route is added. Throws when the tokens file
 * is unreadable or auth is switched off on a network address without the acknowledgement.
 */
export async function setUpAuth(app: FastifyInstance, opts: { auth: HubAuth | undefined; dataDir: string; listenHost: string; metrics: Registry }): Promise<HubAuthState> {
  const decision = decideAuth(opts.auth, opts.listenHost);
  if (decision.warning) app.log.warn(decision.warning);
  const tokens = new TokenVerifier(opts.dataDir, app.log);
  await tokens.init();
  const perClient = opts.auth?.client_scopes ?? {};
  const fallback = opts.auth?.client_default_scopes ?? ['read'];
  const routes = enforceScopes(app, {
    required: decision.required,
    tokens,
    clientScopes: (cn) => (Object.hasOwn(perClient, cn) ? perClient[cn]! : fallback),
  });
  installAudit(app, opts.metrics);
  return { required: decision.required, routes };
}
