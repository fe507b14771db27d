import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PulseError } from '../../lib/errors.js';
import { cachedPeerCertificate, peerCommonName, refusedKind } from '../../lib/pki.js';
import { ANONYMOUS, type Identity } from './identity.js';
import { grants, isRouteScope, type RouteScope, type Scope } from './scopes.js';
import type { TokenVerifier } from './token-verifier.js';

export interface RouteRecord {
  method: string;
  url: string;
  scope: RouteScope;
}

export interface AuthOptions {
  required: boolean;
  tokens: TokenVerifier;
  /** The scopes of a client certificate's CN. */
  clientScopes: (cn: string) => readonly Scope[];
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

function unauthenticated(reason: string): PulseError {
  return new PulseError('PULSE_UNAUTHENTICATED', `${reason}: send Authorization: Bearer TOKEN (pulse tokens create) or a client certificate`);
}

/** A token or a client certificate; undefined when the request carries neither. Throws 401. */
async function identify(req: FastifyRequest, opts: AuthOptions): Promise<Identity | undefined> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = BEARER.exec(header);
    if (!m) throw unauthenticated('the Authorization header is not "Bearer TOKEN"');
    const checked = await opts.tokens.check(m[1]!);
    if (!checked.ok) throw unauthenticated(checked.reason);
    return checked.identity;
  }
  const socket = req.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted && socket.authorized && typeof socket.getPeerCertificate === 'function') {
    const peer = cachedPeerCertificate(socket as TLSSocket);
    const cn = peerCommonName(peer);
    if (!cn) return undefined;
    // Agents and the hub hold certificates of the same CA; only user (client) certificates count here.
    const kind = refusedKind(peer, ['agent', 'server']);
    if (kind) throw unauthenticated(`a ${kind} certificate is not a user's; issue one with \`pulse certs issue --kind client\``);
    return { kind: 'certificate', name: cn, scopes: opts.clientScopes(cn) };
  }
  return undefined;
}

/**
 * Every route of the users' port declares `config: { scope }`; a route without one stops the hub
 * from starting (so a new route cannot ship open). Requests then need an identity holding that
 * scope: 401 without a valid one, 403 with one that lacks it. Returns the routes as registered.
 */
export function enforceScopes(app: FastifyInstance, opts: AuthOptions): RouteRecord[] {
  const routes: RouteRecord[] = [];
  app.addHook('onRoute', (route) => {
    const scope = (route.config as { scope?: unknown } | undefined)?.scope;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!isRouteScope(scope)) {
      throw new PulseError(
        'PULSE_CONFIG_INVALID',
        `users' port route ${methods.join(',')} ${route.url} declares no scope: register it with config: { scope: 'read' | 'run' | 'operate' | 'admin' | 'public' }`,
      );
    }
    for (const method of methods) routes.push({ method: String(method), url: route.url, scope });
  });
  app.addHook('onRequest', async (req, reply) => {
    const scope = req.routeOptions.config?.scope;
    // Unrouted requests (404) carry no scope and run nothing.
    if (scope === undefined || scope === 'public') return;
    let identity: Identity | undefined;
    try {
      identity = await identify(req, opts);
    } catch (err) {
      reply.header('www-authenticate', 'Bearer realm="pulse"');
      throw err;
    }
    if (!identity) {
      if (opts.required) {
        reply.header('www-authenticate', 'Bearer realm="pulse"');
        throw unauthenticated('this hub requires authentication');
      }
      identity = ANONYMOUS;
    }
    if (!grants(identity.scopes, scope)) {
      throw new PulseError('PULSE_FORBIDDEN', `${identity.name} lacks the "${scope}" scope needed for ${req.method} ${req.routeOptions.url}`);
    }
    req.pulseIdentity = identity;
  });
  return routes;
}
