import { request as h1Request, type IncomingMessage } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http2';
import type { Readable } from 'node:stream';
import type { Connection } from './connect.js';
import type { Timeline } from './timeline.js';
import { once } from '../shared/wait.js';

export interface OutgoingRequest {
  method: string;
  /** Origin-form path, or the absolute URL when talking to an HTTP proxy. */
  path: string;
  /** The Host header (HTTP/1) or :authority (HTTP/2). */
  authority: string;
  /** Everything but Host, in order. */
  headers: [string, string][];
  body?: Buffer;
}

export interface ResponseHead {
  status: number;
  /** "1.0", "1.1" or "2.0", as Go's resp.Proto would end. */
  version: string;
  /** Header lines as received, one pair per line (repeated names stay separate, as Go keeps them). */
  headers: [string, string][];
  body: Readable;
  /** Drops the connection (headers_only, redirects, errors). */
  close(): void;
}

// Go accepts response headers up to 10 MB; Node's 16 KB default would fail probes Go passes.
const MAX_HEADER_SIZE = 1024 * 1024;

/** One request/response on an open connection, HTTP/2 when ALPN chose it. */
export function exchange(conn: Connection, req: OutgoingRequest, signal: AbortSignal, timeline: Timeline): Promise<ResponseHead> {
  return conn.alpn === 'h2' ? exchangeH2(conn, req, signal, timeline) : exchangeH1(conn, req, signal, timeline);
}

async function exchangeH1(conn: Connection, req: OutgoingRequest, signal: AbortSignal, timeline: Timeline): Promise<ResponseHead> {
  const headers: string[] = ['Host', req.authority];
  for (const [k, v] of req.headers) headers.push(k, v);
  if (req.body && !req.headers.some(([k]) => k.toLowerCase() === 'content-length')) {
    headers.push('Content-Length', String(req.body.length));
  }
  // blackbox disables keep-alive, so Go sends Connection: close; so do we.
  if (!req.headers.some(([k]) => k.toLowerCase() === 'connection')) headers.push('Connection', 'close');
  const socket = conn.socket;
  // The first byte's time, taken in the socket's handler before the parser sees it.
  socket.once('data', () => {
    const at = performance.now();
    timeline.responseStart ??= at;
  });
  const cr = h1Request({
    createConnection: () => socket,
    method: req.method,
    path: req.path,
    headers: headers as unknown as Record<string, string>,
    setHost: false,
    maxHeaderSize: MAX_HEADER_SIZE,
  });
  // Errors are awaited below; this keeps one arriving after we stopped listening from crashing us.
  cr.on('error', () => {});
  const close = () => {
    cr.destroy();
    socket.destroy();
  };
  signal.addEventListener('abort', close, { once: true });
  cr.end(req.body);
  try {
    const [res] = (await once(cr, 'response', signal, 'connection closed before the response headers')) as [IncomingMessage];
    timeline.responseStart ??= performance.now();
    res.on('error', () => {});
    return {
      status: res.statusCode ?? 0,
      version: res.httpVersion,
      headers: pairs(res.rawHeaders),
      body: res,
      close,
    };
  } catch (err) {
    close();
    throw err;
  } finally {
    signal.removeEventListener('abort', close);
  }
}


// Connection-specific headers are illegal in HTTP/2; Go's transport drops them too.
const H2_FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/** node:http2, loaded on the first HTTP/2 exchange: about 2 MB resident that most agents never use. */
let http2: typeof import('node:http2') | undefined;

async function exchangeH2(conn: Connection, req: OutgoingRequest, signal: AbortSignal, timeline: Timeline): Promise<ResponseHead> {
  http2 ??= await import('node:http2');
  const socket = conn.socket;
  const session = http2.connect(`https://${req.authority}`, { createConnection: () => socket, maxHeaderListPairs: 4096 });
  session.on('error', () => {});
  const close = () => {
    session.destroy();
    socket.destroy();
  };
  signal.addEventListener('abort', close, { once: true });
  try {
    // No prototype: a header named `constructor` or `__proto__` is just a header.
    const headers: Record<string, string | string[]> = Object.assign(Object.create(null) as Record<string, string | string[]>, {
      ':method': req.method,
      ':path': req.path,
      ':authority': req.authority,
      ':scheme': 'https',
    });
    for (const [k, v] of req.headers) {
      const name = k.toLowerCase();
      if (H2_FORBIDDEN.has(name)) continue;
      const prev = headers[name];
      headers[name] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
    }
    const stream = session.request(headers, { endStream: !req.body });
    stream.on('error', () => {});
    stream.once('response', () => {
      const at = performance.now();
      timeline.responseStart ??= at;
    });
    if (req.body) stream.end(req.body);
    const [resHeaders] = (await once(stream, 'response', signal, 'stream closed before the response headers')) as [IncomingHttpHeaders];
    timeline.responseStart ??= performance.now();
    const out: [string, string][] = [];
    let status = 0;
    for (const [k, v] of Object.entries(resHeaders)) {
      if (k === ':status') status = Number(v);
      else if (!k.startsWith(':') && v !== undefined) for (const one of Array.isArray(v) ? v : [v]) out.push([k, String(one)]);
    }
    return { status, version: '2.0', headers: out, body: stream, close };
  } catch (err) {
    close();
    throw err;
  } finally {
    signal.removeEventListener('abort', close);
  }
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
