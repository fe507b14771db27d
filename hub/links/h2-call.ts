import { PulseError } from '../../lib/errors.js';
import { type ClientHttp2Session, constants, type OutgoingHttpHeaders } from 'node:http2';
import { onAbort } from '../../lib/abort-listeners.js';

export interface H2Answer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/** The agent sent more than the hub accepts for this kind of answer: its tunnel is closed. */
export class OversizeError extends PulseError {
  constructor(message: string) {
    super('PULSE_AGENT_OVERSIZE', message);
    this.name = 'OversizeError';
  }
}

/**
 * One request on an HTTP/2 session, its whole answer read into memory up to `limit` bytes.
 * Rejects with the signal's reason when aborted (the stream is cancelled, the session stays),
 * with OversizeError past the limit, and with the stream's or session's error otherwise.
 */
export function h2Call(session: ClientHttp2Session, headers: OutgoingHttpHeaders, body: string | undefined, signal: AbortSignal, limit: number): Promise<H2Answer> {
  return new Promise<H2Answer>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    let stream: ReturnType<ClientHttp2Session['request']>;
    try {
      stream = session.request(headers, { endStream: body === undefined });
    } catch (err) {
      // A session that is closing or destroyed refuses new streams synchronously.
      return reject(err);
    }
    // One settle for whichever comes first; the events after it (a stream always ends with
    // 'close') cost nothing, and no Error is built for a call that already has its answer.
    let settled = false;
    let unsubscribe: () => void = () => undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      fn();
    };
    unsubscribe = onAbort(signal, () => {
      stream.close(constants.NGHTTP2_CANCEL);
      settle(() => reject(signal.reason));
    });
    let status = 0;
    let contentType: string | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('response', (h) => {
      status = Number(h[':status']);
      const type = h['content-type'];
      contentType = typeof type === 'string' ? type : undefined;
    });
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        stream.close(constants.NGHTTP2_CANCEL);
        settle(() => reject(new OversizeError(`answer larger than ${limit} bytes`)));
        return;
      }
      chunks.push(chunk);
    });
    // A small answer is one chunk: no copy for it.
    stream.on('end', () => settle(() => resolve({ status, contentType, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) })));
    stream.on('error', (err) => settle(() => reject(err)));
    // A stream reset by the agent, or cut by the session closing, ends without 'end'.
    stream.on('close', () => {
      if (settled) return;
      settle(() => reject(new Error(stream.rstCode ? `stream reset by the agent (HTTP/2 code ${stream.rstCode})` : 'tunnel closed')));
    });
    if (body !== undefined) stream.end(body);
  });
}
