import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify's `frameworkErrors`: errors raised before routing (a URL whose percent-encoding is
 * broken) answer in Pulse's `{"error":{"code","message"}}` shape, not Fastify's own.
 */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  const message = err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (broken percent-encoding)' : err.message;
  void reply.code(status).send({ error: { code: 'PULSE_BAD_REQUEST', message } });
}
