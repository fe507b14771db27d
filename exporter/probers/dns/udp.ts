import { createSocket, type Socket } from 'node:dgram';
import { type ExchangeResult, type ExchangeTarget, seconds, settleExchange } from './exchange.js';

/**
 * One query over UDP on a connected socket (so only the resolver's datagrams arrive). Replies with
 * another ID are ignored, as miekg/dns does, since they can be late answers to someone else.
 */
export function exchangeUdp(target: ExchangeTarget, query: Buffer, signal: AbortSignal): Promise<ExchangeResult> {
  const id = query.readUInt16BE(0);
  const start = performance.now();
  let connected: number | undefined;
  let sent: number | undefined;
  return new Promise<ExchangeResult>((resolve, reject) => {
    let socket: Socket | undefined;
    const timings = () => {
      const now = performance.now();
      return sent === undefined
        ? { connectSeconds: seconds(start, now), requestSeconds: 0 }
        : { connectSeconds: seconds(start, connected ?? sent), requestSeconds: seconds(sent, now) };
    };
    const release = () => {
      socket?.close();
      socket = undefined;
    };
    const finish = settleExchange(signal, timings, release, resolve, reject);
    if (!finish) return;

    socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (err) => finish(new Error(`UDP: ${err.message}`)));
    socket.on('message', (msg) => {
      if (msg.length < 12 || msg.readUInt16BE(0) !== id || (msg[2]! & 0x80) === 0) return;
      finish(undefined, msg);
    });
    const connect = () => {
      if (!socket) return;
      // No callback to connect(): Node hands a failed connect (ENETUNREACH, a scope ID naming no
      // interface) to the callback if there is one, and sending on the unconnected socket then
      // throws inside a libuv callback, killing the exporter. Without one it is an 'error' event.
      socket.once('connect', () => {
        if (!socket) return;
        connected = performance.now();
        sent = connected;
        try {
          socket.send(query, (err) => {
            if (err) finish(new Error(`UDP send: ${err.message}`));
          });
        } catch (err) {
          finish(new Error(`UDP send: ${(err as Error).message}`));
        }
      });
      socket.connect(target.port, target.address);
    };
    if (target.sourceAddress) socket.bind({ address: target.sourceAddress, port: 0 }, connect);
    else connect();
  });
}
