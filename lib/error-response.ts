import { type ErrorCode, isPulseError, PulseError } from './errors.js';

/**
 * The one mapping from an error to an HTTP answer, for both programs: the hub (Fastify's
 * setErrorHandler and setNotFoundHandler) and the exporter (its node:http listener). The same
 * case gets the same status and PULSE_* code from either (docs/errors.md lists them).
 */
export interface ErrorResponse {
  status: number;
  body: { error: { code: ErrorCode; message: string } };
  /** Whether the cause is ours (a bug, a broken dependency) and belongs in the error log. */
  internal: boolean;
}

/** Status codes a framework or parser sets on its own errors, as Pulse's codes. */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'PULSE_BAD_REQUEST',
  404: 'PULSE_NOT_FOUND',
  413: 'PULSE_PAYLOAD_TOO_LARGE',
  414: 'PULSE_URL_TOO_LONG',
  415: 'PULSE_UNSUPPORTED_MEDIA_TYPE',
  431: 'PULSE_HEADERS_TOO_LARGE',
};

/** A request for a path no route serves; the same words from both programs. */
export function routeNotFound(method: string, url: string): PulseError {
  return new PulseError('PULSE_NOT_FOUND', `no route for ${method} ${url.split('?')[0]?.slice(0, 200)}`);
}

/**
 * A PulseError answers with its own status and code. Another error with a 4xx `statusCode` (Fastify's
 * own: a body that is not JSON, a schema refusal) is the caller's: its message is kept, under the
 * code for that status. Anything else is ours: a 500 that says no more than "internal error",
 * since its message may hold what callers must not see.
 */
export function errorResponse(err: unknown): ErrorResponse {
  if (isPulseError(err)) return { status: err.status, body: err.toJSON(), internal: err.status >= 500 && err.code === 'PULSE_INTERNAL' };
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = BY_STATUS[status] ?? 'PULSE_BAD_REQUEST';
    return { status, body: { error: { code, message: (err as Error).message ?? String(err) } }, internal: false };
  }
  return { status: 500, body: { error: { code: 'PULSE_INTERNAL', message: 'internal error' } }, internal: true };
}
