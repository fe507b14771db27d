import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, isPulseError, PulseError } from '../../lib/errors.js';
import { useJsonBodyParser } from '../../lib/json-body.js';
import { RateLimitedError } from '../rate/limiter.js';

/** Every failure answers `{"error":{"code","message"}}` with a 4xx/5xx, never Fastify's own shape. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (isPulseError(err)) return reply.code(err.status).send(err.toJSON());
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    const code: ErrorCode =
      status === 413
        ? 'PULSE_PAYLOAD_TOO_LARGE'
        : status === 415
          ? 'PULSE_UNSUPPORTED_MEDIA_TYPE'
          : status === 404
            ? 'PULSE_NOT_FOUND'
            : status === 500
              ? 'PULSE_INTERNAL'
              : 'PULSE_BAD_REQUEST';
    const message =
      status === 500
        ? 'internal error'
        : status === 415
          ? `Content-Type must be application/json, not "${String(req.headers['content-type'] ?? 'none').slice(0, 100)}"`
          : err.message;
    return reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'PULSE_NOT_FOUND', message: `no route for ${req.method} ${req.url.split('?')[0]}` } }),
  );
}

/** JSON bodies only: anything else (form posts, text) is a 415 naming the type to use. */
export function requireJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  useJsonBodyParser(app);
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST') return;
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new PulseError('PULSE_UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/json, not "${type || 'none'}"`);
    }
  });
}
