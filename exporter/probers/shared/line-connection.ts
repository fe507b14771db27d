import { connect as netConnect, type Socket } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { nodeTls } from './node-tls.js';
import { ProbeAborted } from './abort.js';
import { LineReader } from './line-reader.js';
import { enforceConnect } from '../../policy/enforce.js';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';

const NEWLINE = Buffer.from('\n');

export interface DialOptions {
  address: string;
  port: number;
  family: 4 | 6;
  localAddress?: string;
  /** The probe's policy, checked before connecting. */
  policy: TargetPolicy | undefined;
}

/**
 * One probe's TCP connection: line reads, line writes and a STARTTLS upgrade, every wait bound
 * to the probe's AbortSignal (an abort destroys the socket, so nothing outlives the probe).
 */
export class TcpConnection {
  private reader: LineReader;
  private readonly onAbort = () => {
    this.socket.destroy();
    this.reader.interrupt(new ProbeAborted());
  };

  private constructor(
    private socket: Socket | TLSSocket,
    private readonly signal: AbortSignal,
  ) {
    this.reader = new LineReader(socket);
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  static async dial(opts: DialOptions, signal: AbortSignal): Promise<TcpConnection> {
    if (signal.aborted) throw new ProbeAborted();
    enforceConnect(opts.policy, opts.address, opts.port);
    const socket = netConnect({
      host: opts.address,
      port: opts.port,
      family: opts.family,
      ...(opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {}),
    });
    await settle(socket, 'connect', signal, (err) => connectError(err, opts));
    return new TcpConnection(socket, signal);
  }

  /** A Unix domain socket at `path` (the unix prober). */
  static async dialUnix(path: string, signal: AbortSignal): Promise<TcpConnection> {
    if (signal.aborted) throw new ProbeAborted();
    const socket = netConnect({ path });
    await settle(socket, 'connect', signal, (err) => unixConnectError(err, path));
    return new TcpConnection(socket, signal);
  }

  get localAddress(): { address: string; port: number } {
    return { address: this.socket.localAddress ?? '', port: this.socket.localPort ?? 0 };
  }

  readLine(): Promise<string | null> {
    return this.reader.readLine();
  }

  readBytes(n: number): Promise<Buffer | null> {
    return this.reader.readBytes(n);
  }

  /** Writes `text` and a newline, as blackbox's Fprintf(conn, "%s\n") does. */
  writeLine(text: string | Buffer): Promise<void> {
    const data = typeof text === 'string' ? `${text}\n` : Buffer.concat([text, NEWLINE]);
    return new Promise((resolve, reject) => {
      if (this.signal.aborted) return reject(new ProbeAborted());
      this.socket.write(data, (err) => (err ? reject(this.signal.aborted ? new ProbeAborted() : err) : resolve()));
    });
  }

  /** TLS over the connection as it stands (at connect, or at a starttls step). */
  async startTls(options: ConnectionOptions): Promise<TLSSocket> {
    this.reader.detach();
    // The TLS socket reports the raw socket's failures; an unheard 'error' here would crash Node.
    this.socket.on('error', () => {});
    const secure = nodeTls().connect({ ...options, socket: this.socket });
    this.socket = secure;
    this.reader = new LineReader(secure);
    await settle(secure, 'secureConnect', this.signal, (err) => new Error(`TLS handshake failed: ${err.message}`));
    return secure;
  }

  close(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }
}

/** Waits for `event`, failing on error, close or abort; the socket is destroyed on failure. */
function settle(socket: Socket, event: string, signal: AbortSignal, wrap: (err: NodeJS.ErrnoException) => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      socket.off(event, onEvent);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve();
    };
    const onEvent = () => done();
    const onError = (err: NodeJS.ErrnoException) => done(wrap(err));
    const onClose = () => done(wrap(new Error('connection closed by peer')));
    const onAbort = () => done(new ProbeAborted());
    if (signal.aborted) return onAbort();
    socket.once(event, onEvent);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'source_ip_address is not an address of this host',
  EINVAL: 'invalid address (does source_ip_address match the target address family?)',
};

function unixConnectError(err: NodeJS.ErrnoException, path: string): Error {
  // blackbox words permission errors this way; the rest keep the system's words.
  if (err.code === 'EACCES' || err.code === 'EPERM') return new Error(`permission denied connecting to unix socket ${path}`);
  const words = (err.code && { ...CONNECT_ERRORS, ENOENT: 'no such socket' }[err.code]) || err.message;
  return new Error(`connecting to unix socket ${path}: ${words}`);
}

function connectError(err: NodeJS.ErrnoException, opts: DialOptions): Error {
  const words = (err.code && CONNECT_ERRORS[err.code]) || err.message;
  const where = opts.family === 6 ? `[${opts.address}]:${opts.port}` : `${opts.address}:${opts.port}`;
  return new Error(`connecting to ${where}: ${words}`);
}
