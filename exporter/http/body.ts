import { parseJsonBody } from '../../lib/json-body.js';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { PulseError } from '../../lib/errors.js';

export const BODY_LIMIT = 256 * 1024;

/**
 * Reads a JSON request body as Fastify's default parser did: `application/json` is parsed,
 * `text/plain` is a string (the route's schema then refuses it), anything else with a body is
 * 415, more than `limit` bytes is 413, and an empty body is undefined.
 */
export async function readJsonBody(req: IncomingMessage | Http2ServerRequest, limit = BODY_LIMIT): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) {
    req.resume();
    throw new PulseError('PULSE_PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is drained, not kept: leaving the loop early would destroy the
  // socket and the 413 with it.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) throw new PulseError('PULSE_PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`);
  if (size === 0) {
    if (type === 'application/json') throw new PulseError('PULSE_BAD_REQUEST', "Body cannot be empty when content-type is set to 'application/json'");
    return undefined;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  // The same parser as the hub's: __proto__ keys and deep nesting are refused with a reason.
  if (type === 'application/json' || type.endsWith('+json')) return parseJsonBody(text);
  if (type === 'text/plain') return text;
  throw new PulseError('PULSE_UNSUPPORTED_MEDIA_TYPE', `Unsupported Media Type: ${type || '(none)'}`);
}
