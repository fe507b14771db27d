import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { SecureVersion, TLSSocket } from 'node:tls';
import { nodeTls } from '../shared/node-tls.js';
import { type ProxyParams, tunnel } from '../shared/proxy-tunnel.js';
import type { Timeline } from './timeline.js';
import { once } from '../shared/wait.js';
import { enforceConnect, enforceName } from '../../policy/enforce.js';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';

export interface TlsParams {
  /** SNI; omitted on the wire when it is an IP address, as Go does. */
  serverName: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecureSkipVerify: boolean;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  alpn: string[];
}

export interface DialParams {
  /** Address (or, through a proxy without resolve phase, hostname) and port of the target. */
  host: string;
  port: number;
  tls?: TlsParams;
  proxy?: ProxyParams;
  signal: AbortSignal;
  /** The probe's policy: the proxy and the target, then the address actually connected. */
  policy: TargetPolicy | undefined;
  timeline: Timeline;
  /** Tells the caller what the probe is waiting for, for the timeout's reason. */
  stage(what: string): void;
}

export interface Connection {
  socket: Socket;
  tlsSocket?: TLSSocket;
  /** Negotiated ALPN protocol ("h2", "http/1.1") or undefined without TLS/ALPN. */
  alpn?: string;
}

/** Opens the connection one round trip uses: TCP, then a CONNECT tunnel if proxied, then TLS. */
export async function dial(p: DialParams): Promise<Connection> {
  const hop = p.proxy ?? { host: p.host, port: p.port, tls: false };
  // The proxy, and the target behind it: a name the proxy resolves is checked as a name.
  for (const end of p.proxy ? [hop, { host: p.host, port: p.port }] : [hop]) {
    if (isIP(end.host) !== 0) enforceConnect(p.policy, end.host, end.port);
    else enforceName(p.policy, end.host);
  }
  p.stage(`connecting to ${hop.host}:${hop.port}${p.proxy ? ' (proxy)' : ''}`);
  let socket: Socket = netConnect({ host: hop.host, port: hop.port });
  // Marks are taken in the socket's own event handlers (registered first, so they run first), not
  // after the awaits below: a busy event loop must not move time into the target's phases.
  let connectedAt = 0;
  socket.once('connect', () => {
    connectedAt = performance.now();
  });
  const closeOnAbort = () => socket.destroy();
  p.signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    await once(socket, 'connect', p.signal);
    // The address actually connected (a proxy given by name was resolved by the socket).
    enforceConnect(p.policy, socket.remoteAddress ?? '', socket.remotePort ?? hop.port);
    if (p.proxy?.tls) {
      socket = (await handshake(socket, proxyTls(p.proxy.host), p.signal)).socket;
    }
    if (p.proxy && p.tls) await tunnel(socket, p.host, p.port, p.proxy, p.signal, p.stage);
    // Through a proxy the connection is ready once the proxy (and its tunnel) is.
    p.timeline.connectDone = p.proxy ? performance.now() : connectedAt;
    if (!p.tls) return { socket };
    const as = p.tls.serverName && p.tls.serverName !== p.host ? ` as ${p.tls.serverName}` : '';
    p.stage(`TLS handshake with ${p.host}:${p.port}${as}`);
    const { socket: tlsSocket, at } = await handshake(socket, p.tls, p.signal);
    p.timeline.tlsDone = at;
    const conn: Connection = { socket: tlsSocket, tlsSocket };
    if (tlsSocket.alpnProtocol) conn.alpn = tlsSocket.alpnProtocol;
    return conn;
  } catch (err) {
    socket.destroy();
    throw err;
  } finally {
    p.signal.removeEventListener('abort', closeOnAbort);
  }
}

function proxyTls(host: string): TlsParams {
  return { serverName: host, insecureSkipVerify: false, alpn: ['http/1.1'] };
}

/** The TLS socket and performance.now() at its secureConnect, taken in the event's handler. */
async function handshake(socket: Socket, t: TlsParams, signal: AbortSignal): Promise<{ socket: TLSSocket; at: number }> {
  const tls = nodeTls();
  const s = tls.connect({
    socket,
    ...(isIP(t.serverName) === 0 && t.serverName !== '' ? { servername: t.serverName } : {}),
    rejectUnauthorized: !t.insecureSkipVerify,
    // Verify against the configured name (server_name, Host header or URL host), not the address dialled.
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(t.serverName, cert),
    ALPNProtocols: t.alpn,
    ...(t.ca ? { ca: t.ca } : {}),
    ...(t.cert ? { cert: t.cert } : {}),
    ...(t.key ? { key: t.key } : {}),
    ...(t.minVersion ? { minVersion: t.minVersion } : {}),
    ...(t.maxVersion ? { maxVersion: t.maxVersion } : {}),
  });
  let at = 0;
  s.once('secureConnect', () => {
    at = performance.now();
  });
  const closeOnAbort = () => s.destroy();
  signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    await once(s, 'secureConnect', signal, 'connection closed during the TLS handshake');
    return { socket: s, at };
  } catch (err) {
    s.destroy();
    throw err;
  } finally {
    signal.removeEventListener('abort', closeOnAbort);
  }
}
