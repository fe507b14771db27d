import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { type ErrorCode, PulseError } from './errors.js';

/** A request line longer than this is a 414: no Pulse route needs more, and Node's own limit (16 KiB for all headers) would call it a 431. */
export const MAX_URL_BYTES = 8192;

/** 414 PULSE_URL_TOO_LONG for a URL over MAX_URL_BYTES, else nothing. */
export function urlTooLong(url: string | undefined): PulseError | undefined {
  if (url === undefined || url.length <= MAX_URL_BYTES) return undefined;
  return new PulseError('PULSE_URL_TOO_LONG', `the URL is ${url.length} bytes long, more than ${MAX_URL_BYTES}`);
}

/** What Node's parser reported, as Pulse's code and reason. */
function describe(err: NodeJS.ErrnoException): { code: ErrorCode; status: number; message: string } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'PULSE_HEADERS_TOO_LARGE', status: 431, message: 'the request line and headers are larger than 16 KiB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'PULSE_BAD_REQUEST', status: 408, message: 'the request was not complete in time' };
    case 'HPE_INVALID_CHUNK_SIZE':
      return { code: 'PULSE_BAD_REQUEST', status: 400, message: 'the chunked body is malformed (bad chunk size)' };
    default:
      return { code: 'PULSE_BAD_REQUEST', status: 400, message: `the request is not valid HTTP (${String(err.code ?? 'parse error').slice(0, 64)})` };
  }
}

/**
 * Errors Node's HTTP parser raises before any handler runs (headers too large, broken chunked
 * encoding, a stalled request) answer in the same `{"error":{"code","message"}}` shape as
 * everything else, instead of Fastify's or Node's own; then the connection closes.
 */
export function installClientErrors(server: EventEmitter): void {
  server.removeAllListeners('clientError');
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { code, status, message } = describe(err);
    const body = JSON.stringify({ error: { code, message } });
    const reason = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request';
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
