import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PulseError } from './errors.js';

/** Deeper than any Pulse request: options nest a few levels, never dozens. */
export const MAX_JSON_DEPTH = 32;

/** How deep `value` nests, counted without recursion (a 100,000-level body must not blow the stack). */
function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v as Record<string, unknown>)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A JSON request body, parsed: 400 with a reason for text that is not JSON, for a `__proto__` or
 * `constructor.prototype` key (named as such: they are valid JSON, just refused), and for nesting
 * deeper than MAX_JSON_DEPTH.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new PulseError('PULSE_BAD_REQUEST', 'the body is empty; send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text, function (key, v) {
      if (key === '__proto__' || (key === 'prototype' && Object.hasOwn(this as object, 'prototype') && typeof this === 'object')) {
        throw new PulseError('PULSE_BAD_REQUEST', `a key named "${key}" is not allowed in a request body`);
      }
      return v;
    });
  } catch (err) {
    if (err instanceof PulseError) throw err;
    throw new PulseError('PULSE_BAD_REQUEST', `the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  if (tooDeep(value, MAX_JSON_DEPTH)) throw new PulseError('PULSE_BAD_REQUEST', `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

/** Registers parseJsonBody as the app's application/json parser. */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void) => {
    try {
      done(null, parseJsonBody(String(body)));
    } catch (err) {
      done(err as Error);
    }
  });
}

/**
 * Time a client gets to send its whole request (headers and body): a slow or stalled sender
 * (Content-Length larger than what it sends, slowloris) gets 408 and the connection closes.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
