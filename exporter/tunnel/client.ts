import http2, { type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { Duplex } from 'node:stream';
import { type Backoff, DEFAULT_BACKOFF, reconnectDelay } from './backoff.js';
import { type DialOptions, dialHub } from './dial.js';

export interface TunnelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface TunnelClientOptions extends Omit<DialOptions, 'timeoutMs'> {
  /** Serves the hub's requests that arrive through the tunnel. */
  handler: (req: Http2ServerRequest, res: Http2ServerResponse) => void;
  /** Ping interval; a ping unanswered for as long drops the tunnel and reconnects. */
  keepaliveMs: number;
  log: TunnelLog;
  backoff?: Backoff;
  random?: () => number;
  /** Told each time a tunnel comes up (for tests and simulations). */
  onUp?: () => void;
}

export interface TunnelClient {
  readonly connected: boolean;
  /** Drops the tunnel and stops reconnecting. */
  stop(): Promise<void>;
}

/** A tunnel that stayed up this long was a real one: the next loss starts the backoff afresh. */
const STABLE_MS = 5000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Keeps one tunnel to the hub open: dial, serve HTTP/2 on the TLS socket (the hub is the client),
 * ping it, and when it drops dial again after a jittered backoff. Nothing here knows what the
 * requests are; the exporter and the benchmarks' simulated agents bring their own handler.
 */
export function startTunnel(opts: TunnelClientOptions): TunnelClient {
  const server = http2.createServer();
  server.on('request', opts.handler);
  let attempt = 0;
  let everConnected = false;
  let stopped = false;
  let session: ServerHttp2Session | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastProblem = '';

  const problem = (msg: string) => {
    // The same failure on every retry is logged once, until something changes.
    if (stopped || msg === lastProblem) return;
    lastProblem = msg;
    opts.log.warn({ hub: opts.url }, msg);
  };

  const schedule = () => {
    if (stopped) return;
    const delay = reconnectDelay(attempt++, everConnected, opts.random, opts.backoff ?? DEFAULT_BACKOFF);
    timer = setTimeout(dial, delay);
    timer.unref();
  };

  async function dial(): Promise<void> {
    let socket: Awaited<ReturnType<typeof dialHub>>;
    try {
      socket = await dialHub({ ...opts, timeoutMs: CONNECT_TIMEOUT_MS });
    } catch (err) {
      problem(`cannot open the tunnel to the hub: ${(err as Error).message}`);
      return schedule();
    }
    if (stopped) {
      socket.destroy();
      return;
    }
    const upAt = Date.now();
    const s = serveOn(server, socket);
    if (!s) {
      socket.destroy();
      return schedule();
    }
    const current = s;
    session = current;
    everConnected = true;
    lastProblem = '';
    opts.log.info({ hub: opts.url }, 'tunnel to the hub is up');
    opts.onUp?.();
    supervise(current, opts.keepaliveMs, (goaway) => {
      if (session === current) session = undefined;
      if (Date.now() - upAt >= STABLE_MS) attempt = 0;
      if (!stopped) {
        problem(goaway ? `the hub closed the tunnel: ${goaway}` : 'the tunnel to the hub was lost; reconnecting');
        schedule();
      }
    });
  }

  timer = setTimeout(dial, 0);
  timer.unref();

  return {
    get connected() {
      return session !== undefined && !session.closed;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const s = session;
      session = undefined;
      if (s) await destroySession(s);
      server.close();
    },
  };
}

/** The socket carries HTTP/2 from here on, this end serving: the server makes its session at once. */
function serveOn(server: Http2Server, socket: Duplex): ServerHttp2Session | undefined {
  let s: ServerHttp2Session | undefined;
  server.once('session', (created: ServerHttp2Session) => {
    s = created;
  });
  server.emit('connection', socket);
  return s;
}

async function destroySession(s: ServerHttp2Session): Promise<void> {
  if (s.destroyed) return;
  const closed = new Promise((r) => s.once('close', r));
  s.destroy();
  await closed;
}

/** Pings the session every `keepaliveMs` and tells `onClose` when it ends, with the hub's GOAWAY reason if it sent one. */
function supervise(session: ServerHttp2Session, keepaliveMs: number, onClose: (goaway: string) => void): void {
  let goaway = '';
  session.on('goaway', (_code: number, _last: number, data?: Buffer) => {
    if (data && data.length > 0) goaway = data.toString('utf8');
  });
  session.on('error', () => undefined);
  const keepalive = setInterval(() => ping(session, keepaliveMs), keepaliveMs);
  keepalive.unref();
  session.once('close', () => {
    clearInterval(keepalive);
    onClose(goaway);
  });
}

/** One keepalive ping; no answer within `timeoutMs` means a dead (half-open) connection. */
function ping(session: ServerHttp2Session, timeoutMs: number): void {
  if (session.closed || session.destroyed) return;
  const timer = setTimeout(() => session.destroy(), timeoutMs);
  timer.unref();
  try {
    session.ping((err) => {
      clearTimeout(timer);
      if (err) session.destroy();
    });
  } catch {
    clearTimeout(timer);
    session.destroy();
  }
}
