import { addAbortSignal, finished, pipeline, Readable, type Transform } from 'node:stream';
import { lazyBuiltin } from '../../../lib/lazy-builtin.js';
import { ProbeAborted } from '../shared/abort.js';

/** Only a compressed answer needs node:zlib: an agent whose targets send none never loads it. */
const zlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib');

/**
 * Without body_size_limit, what body regexes see is capped here: an endless or huge body must not
 * grow the exporter's memory without bound (the bytes past it are still read and counted).
 */
export const BODY_MATCH_LIMIT = 10 * 1024 * 1024;

export interface BodyReadOptions {
  /** The module's `compression`: the body is decoded with it whatever Content-Encoding says, as blackbox does. */
  compression: string;
  /** Bytes after decoding; 0 for no limit. */
  limit: number;
  /** Keep the bytes (only when a body regexp needs them), at most `limit` or BODY_MATCH_LIMIT. */
  collect: boolean;
  signal: AbortSignal;
}

export interface BodyReadResult {
  /** Bytes read after decoding: probe_http_uncompressed_body_length. */
  bytes: number;
  data?: Buffer;
  error?: string;
  /** performance.now() when the body ended, taken in the stream's own callback. */
  endedAt?: number;
}

/**
 * Reads a response body to the end, decoding, counting and (optionally) keeping it. Plain
 * 'data' events rather than an async iterator: one promise per body, not one per chunk.
 */
export async function readBody(body: Readable, o: BodyReadOptions): Promise<BodyReadResult> {
  addAbortSignal(o.signal, body);
  const keep = o.limit > 0 ? o.limit : BODY_MATCH_LIMIT;
  let bytes = 0;
  try {
    const source = o.compression && o.compression !== 'identity' ? await decoded(body, o.compression) : body;
    return await new Promise<BodyReadResult>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let settled = false;
      const onData = (buf: Buffer) => {
        if (settled) return;
        bytes += buf.length;
        if (o.limit > 0 && bytes > o.limit) {
          settled = true;
          source.off('data', onData);
          body.destroy();
          if (source !== body) source.destroy();
          resolve({ bytes: o.limit, error: `response body is larger than body_size_limit (${o.limit} bytes)` });
          return;
        }
        if (o.collect && kept < keep) {
          const part = buf.length <= keep - kept ? buf : buf.subarray(0, keep - kept);
          chunks.push(part);
          kept += part.length;
        }
      };
      source.on('data', onData);
      // finished() reports what the async iterator would throw (errors, premature close).
      finished(source, (err) => {
        const endedAt = performance.now();
        if (settled) return;
        settled = true;
        source.off('data', onData);
        if (err) reject(err);
        else resolve(o.collect ? { bytes, data: Buffer.concat(chunks), endedAt } : { bytes, endedAt });
      });
    });
  } catch (err) {
    if (o.signal.aborted) throw new ProbeAborted();
    const what = o.compression && o.compression !== 'identity' ? `reading the ${o.compression} body failed` : 'reading the body failed';
    return { bytes, error: `${what}: ${(err as Error).message}` };
  }
}

function decoded(body: Readable, compression: string): Readable | Promise<Readable> {
  switch (compression.toLowerCase()) {
    case 'gzip':
      return through(body, zlib().createGunzip());
    case 'br':
      return through(body, zlib().createBrotliDecompress());
    case 'deflate':
      return deflate(body);
    default:
      return body;
  }
}

/**
 * Go's "deflate" reader is raw DEFLATE, while most servers send zlib-wrapped DEFLATE (RFC 9110);
 * accept both by looking at the first byte (zlib's header starts with 0x78 for 32K windows).
 */
async function deflate(body: Readable): Promise<Readable> {
  const it = body[Symbol.asyncIterator]();
  const first = await it.next();
  const source = Readable.from(
    (async function* () {
      if (!first.done) yield first.value as Buffer;
      for (let n = await it.next(); !n.done; n = await it.next()) yield n.value as Buffer;
    })(),
  );
  const wrapped = !first.done && (first.value as Buffer)[0] === 0x78;
  return through(source, wrapped ? zlib().createInflate() : zlib().createInflateRaw());
}

/** pipeline, so an aborted or broken source also ends the decoder (pipe() would leave it hanging). */
function through(source: Readable, decoder: Transform): Readable {
  pipeline(source, decoder, () => {});
  return decoder;
}
