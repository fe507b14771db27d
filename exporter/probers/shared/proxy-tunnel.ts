import { isIP, type Socket } from 'node:net';
import { ProbeAborted } from './abort.js';
import { unbracket } from './host-port.js';

/** A proxy the http and burst probers tunnel through with HTTP CONNECT. */
export interface ProxyParams {
  host: string;
  port: number;
  tls: boolean;
  /** proxy_connect_header: extra header lines of the CONNECT request. */
  connectHeaders?: [string, string][];
  /** Value of the Proxy-Authorization header, from the proxy URL's credentials. */
  authorization?: string;
}

/** proxy_url → where to dial and the Proxy-Authorization its credentials make. */
export function proxyParams(url: URL, connectHeaders: [string, string][] = []): ProxyParams {
  const tls = url.protocol === 'https:';
  const p: ProxyParams = { host: unbracket(url.hostname), port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), tls };
  if (connectHeaders.length > 0) p.connectHeaders = connectHeaders;
  if (url.username || url.password) {
    const creds = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    p.authorization = `Basic ${Buffer.from(creds).toString('base64')}`;
  }
  return p;
}

/** HTTP CONNECT through the proxy; leaves the socket positioned at the tunnel's first byte. */
export async function tunnel(
  socket: Socket,
  host: string,
  port: number,
  proxy: ProxyParams,
  signal: AbortSignal,
  stage: (what: string) => void,
): Promise<void> {
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  stage(`waiting for the proxy to CONNECT to ${authority}`);
  let req = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
  const extra = proxy.connectHeaders ?? [];
  const setsAuth = extra.some(([k]) => k.toLowerCase() === 'proxy-authorization');
  for (const [k, v] of extra) req += `${k}: ${v}\r\n`;
  if (proxy.authorization && !setsAuth) req += `Proxy-Authorization: ${proxy.authorization}\r\n`;
  socket.write(`${req}\r\n`);
  const head = await readHead(socket, signal);
  const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!m) throw new Error(`proxy answered CONNECT with "${statusLine.slice(0, 100)}"`);
  if (m[1] !== '200') throw new Error(`proxy answered ${m[1]} ${m[2] ?? ''}`.trimEnd());
}

/** Reads up to the blank line ending the proxy's answer; one listener, so no chunk is missed. */
function readHead(socket: Socket, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err?: Error, head?: Buffer) => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      socket.pause();
      if (err) reject(err);
      else resolve(head!);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        // The tunnel is silent until our ClientHello, so nothing follows the head.
        done(undefined, buf.subarray(0, end + 4));
      } else if (buf.length > 64 * 1024) done(new Error('proxy answered CONNECT with oversized headers'));
    };
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('proxy closed the connection during CONNECT'));
    const onAbort = () => done(new ProbeAborted());
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
