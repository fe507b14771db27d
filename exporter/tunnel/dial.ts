import http from 'node:http';
import { isIP, type Socket } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { TUNNEL_ALPN } from '../../lib/tunnel.js';

export interface DialOptions {
  /** The hub's agents' port: https://host:port */
  url: string;
  tls: { ca: Buffer | string; cert: Buffer | string; key: Buffer | string };
  /** http://[user:password@]host:port of an HTTP CONNECT proxy. */
  proxyUrl?: string | undefined;
  timeoutMs: number;
}

/**
 * Opens the tunnel's connection: TCP (straight, or through the proxy's CONNECT), then mutual TLS
 * with the agent certificate, offering only the tunnel protocol. A hub that does not select it
 * does not speak tunnels; that is an error, not something to fall back from.
 */
export async function dialHub(opts: DialOptions): Promise<TLSSocket> {
  const hub = new URL(opts.url);
  const host = hub.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(hub.port || 443);
  const raw = opts.proxyUrl ? await connectThroughProxy(opts.proxyUrl, host, port, opts.timeoutMs) : undefined;
  const socket = tls.connect({
    ...(raw ? { socket: raw } : { host, port }),
    // SNI takes names only; certificate checks use `host` either way.
    ...(isIP(host) ? {} : { servername: host }),
    host,
    ca: opts.tls.ca,
    cert: opts.tls.cert,
    key: opts.tls.key,
    ALPNProtocols: [TUNNEL_ALPN],
    rejectUnauthorized: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no TLS connection to ${hub.host} within ${opts.timeoutMs}ms`)), opts.timeoutMs);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  } catch (err) {
    socket.destroy();
    throw err;
  }
  // Small requests and answers both ways: no waiting for Nagle's algorithm.
  socket.setNoDelay(true);
  if (socket.alpnProtocol !== TUNNEL_ALPN) {
    socket.destroy();
    throw new Error(`the hub at ${hub.host} does not accept tunnels (it is older than dial-out, or this is not its agents' port)`);
  }
  return socket;
}

/** A TCP stream to host:port through an HTTP proxy's CONNECT method, with basic credentials from the URL. */
export function connectThroughProxy(proxyUrl: string, host: string, port: number, timeoutMs: number): Promise<Socket> {
  const proxy = new URL(proxyUrl);
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const user = decodeURIComponent(proxy.username);
    const pass = decodeURIComponent(proxy.password);
    headers['proxy-authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  return new Promise<Socket>((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(proxy.port || 80),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      timeout: timeoutMs,
    });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        // The proxy's URL carries credentials: only its address goes into the message.
        reject(new Error(`the proxy at ${proxy.host} refused CONNECT ${authority}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      // The idle timeout was for the proxy's answer; the tunnel has its own keepalive.
      socket.setTimeout(0);
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.once('timeout', () => req.destroy(new Error(`the proxy at ${proxy.host} did not answer within ${timeoutMs}ms`)));
    req.once('error', (err) => reject(new Error(`proxy ${proxy.host}: ${err.message}`)));
    req.end();
  });
}
