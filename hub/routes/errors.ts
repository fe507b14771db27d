import type { FastifyError, FastifyInstance } from 'fastify';
import { errorResponse, routeNotFound } from '../../lib/error-response.js';
import { isPulseError, PulseError } from '../../lib/errors.js';
import { useJsonBodyParser } from '../../lib/json-body.js';
import { RateLimitedError } from '../rate/limiter.js';

/**
 * Every failure answers `{"error":{"code","message"}}` with a 4xx/5xx, never Fastify's own shape:
 * lib/error-response.ts decides status and code, as it does for the exporter.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
    // Fastify's own 415 (no parser for the type) says what to send instead, as the hub's check does.
    const said = !isPulseError(err) && err.statusCode === 415 ? unsupportedType(req.headers['content-type']) : err;
    const out = errorResponse(said);
    if (out.internal) req.log.error({ err }, 'request failed');
    return reply.code(out.status).send(out.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const out = errorResponse(routeNotFound(req.method, req.url));
    return reply.code(out.status).send(out.body);
  });
}

function unsupportedType(header: string | undefined): PulseError {
  const type = String(header ?? '').split(';')[0]!.trim().toLowerCase();
  return new PulseError('PULSE_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, not "${type.slice(0, 100) || 'none'}"`);
}

/** JSON bodies only: anything else (form posts, text) is a 415 naming the type to use. */
export function requireJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  useJsonBodyParser(app);
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST') return;
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw unsupportedType(type);
  });
}
