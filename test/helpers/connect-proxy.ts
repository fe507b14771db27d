import http from 'node:http';
import net from 'node:net';

export interface ConnectProxy {
  /** http://user:password@127.0.0.1:PORT (or without credentials). */
  url: string;
  port: number;
  /** Every CONNECT request seen: its target and whether the credentials were right. */
  seen: Array<{ target: string; authorized: boolean }>;
  close(): Promise<void>;
}

/**
 * A small HTTP CONNECT proxy, as a school's filtering proxy is for its exporters: it asks for
 * basic credentials when given some, and only lets tunnels through to `allowed` host:port targets.
 */
export async function startConnectProxy(opts: { user?: string; password?: string; allowed: (target: string) => boolean; host?: string }): Promise<ConnectProxy> {
  const seen: ConnectProxy['seen'] = [];
  const expected = opts.user ? `Basic ${Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64')}` : undefined;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(405).end('CONNECT only\n'));
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const target = req.url ?? '';
    const authorized = !expected || req.headers['proxy-authorization'] === expected;
    seen.push({ target, authorized });
    if (!authorized) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
    if (!opts.allowed(target)) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const i = target.lastIndexOf(':');
    const upstream = net.connect(Number(target.slice(i + 1)), target.slice(0, i).replace(/^\[(.*)\]$/, '$1'));
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as net.AddressInfo).port;
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password ?? '')}@` : '';
  return {
    url: `http://${auth}${host}:${port}`,
    port,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
