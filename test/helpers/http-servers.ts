import { createServer as createHttpServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export type Req = IncomingMessage | Http2ServerRequest;
export type Res = ServerResponse | Http2ServerResponse;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  httpVersion: string;
  body: string;
  /** SNI the client sent (TLS servers only). */
  servername?: string;
}

export interface TestServer {
  port: number;
  host: string;
  /** http(s)://host:port, IPv6 bracketed. */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ServerOptions {
  host?: '127.0.0.1' | '::1';
  tls?: { cert: string; key: string };
  /** Offer HTTP/2 by ALPN (falls back to HTTP/1.1), like most public HTTPS servers. */
  http2?: boolean;
}

/**
 * HTTP/2 servers pass their compatibility objects, which offer every call these tests make on
 * the HTTP/1 ones; one signature keeps the test handlers simple.
 */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP(S) server on a free loopback port, recording every request it gets. */
export async function startServer(handler: Handler, opts: ServerOptions = {}): Promise<TestServer> {
  const host = opts.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: Req, res: Res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, httpVersion: req.httpVersion, body };
      const sni = (req.socket as TLSSocket).servername;
      if (typeof sni === 'string') rec.servername = sni;
      requests.push(rec);
      handler(req as IncomingMessage, res as ServerResponse, body);
    });
  };
  let server: Server | ReturnType<typeof createSecureServer>;
  if (opts.tls && opts.http2) server = createSecureServer({ ...opts.tls, allowHTTP1: true }, onRequest);
  else if (opts.tls) server = createHttpsServer({ ...opts.tls }, onRequest as (req: IncomingMessage, res: ServerResponse) => void);
  else server = createHttpServer(onRequest as (req: IncomingMessage, res: ServerResponse) => void);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  const scheme = opts.tls ? 'https' : 'http';
  return {
    port,
    host,
    origin: `${scheme}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestProxy {
  port: number;
  /** Every request the proxy saw: CONNECT tunnels and absolute-form requests. */
  log: { method: string; target: string; authorized: boolean }[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * A forward proxy requiring Basic Proxy-Authorization (none when started without credentials):
 * CONNECT tunnels for https targets and absolute-form requests for http ones. It only ever
 * connects to loopback.
 */
export async function startProxy(username?: string, password?: string): Promise<TestProxy> {
  const expected = username === undefined ? undefined : `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
  const log: TestProxy['log'] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    const authorized = expected === undefined || req.headers['proxy-authorization'] === expected;
    log.push({ method: req.method ?? '', target: req.url ?? '', authorized });
    if (!authorized) {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!LOOPBACK.has(host)) {
      res.writeHead(403).end('loopback only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host, port: url.port, method: req.method, path: `${url.pathname}${url.search}`, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket) => {
    const authorized = expected === undefined || req.headers['proxy-authorization'] === expected;
    log.push({ method: 'CONNECT', target: req.url ?? '', authorized });
    sockets.add(client);
    client.on('error', () => {});
    if (!authorized) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m || !LOOPBACK.has(m[1]!)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = netConnect({ host: m[1]!, port: Number(m[2]) }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that refuses connections: bound, then closed, so nothing listens there. */
export async function refusedPort(): Promise<number> {
  const s = createHttpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
