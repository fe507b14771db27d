import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpBalancer {
  /** host:port to connect to. */
  address: string;
  close(): Promise<void>;
}

/**
 * A layer-4 load balancer on loopback, as in front of hub replicas: each connection goes to the
 * first backend that accepts it, so a backend that is down is skipped and its clients land on the
 * next. Bytes pass through untouched (TLS ends at the backend).
 */
export async function startTcpBalancer(backends: () => string[]): Promise<TcpBalancer> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const tryAt = (i: number) => {
      const to = backends()[i];
      if (!to || client.destroyed) return client.destroy();
      const [host, port] = [to.slice(0, to.lastIndexOf(':')), Number(to.slice(to.lastIndexOf(':') + 1))];
      const up = connect({ host, port });
      let connected = false;
      up.once('error', () => {
        if (!connected) return tryAt(i + 1);
        client.destroy();
      });
      up.once('connect', () => {
        connected = true;
        open.add(up);
        up.on('close', () => {
          open.delete(up);
          client.destroy();
        });
        up.on('error', () => client.destroy());
        client.on('close', () => up.destroy());
        client.pipe(up);
        up.pipe(client);
        client.resume();
      });
    };
    tryAt(0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    async close() {
      for (const s of open) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
