import { connect as netConnect, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { nodeTls } from '../shared/node-tls.js';
import { type ExchangeResult, type ExchangeTarget, seconds, settleExchange } from './exchange.js';

/**
 * One query over TCP (RFC 1035 4.2.2: two-byte length prefix), or over TLS when `tls` is given
 * (DNS over TLS, RFC 7858). The connect phase ends after the TLS handshake, not the TCP one.
 */
export function exchangeStream(
  target: ExchangeTarget,
  query: Buffer,
  signal: AbortSignal,
  tls?: ConnectionOptions,
): Promise<ExchangeResult> {
  const id = query.readUInt16BE(0);
  const start = performance.now();
  let sent: number | undefined;
  return new Promise<ExchangeResult>((resolve, reject) => {
    let socket: Socket | undefined;
    let received = Buffer.alloc(0);
    const timings = () => {
      const now = performance.now();
      return sent === undefined
        ? { connectSeconds: seconds(start, now), requestSeconds: 0 }
        : { connectSeconds: seconds(start, sent), requestSeconds: seconds(sent, now) };
    };
    const release = () => {
      socket?.destroy();
      socket = undefined;
    };
    const finish = settleExchange(signal, timings, release, resolve, reject);
    if (!finish) return;

    const framed = Buffer.alloc(2 + query.length);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    const onReady = () => {
      if (!socket) return;
      sent = performance.now();
      socket.write(framed);
    };
    const base = {
      host: target.address,
      port: target.port,
      family: target.family,
      ...(target.sourceAddress ? { localAddress: target.sourceAddress } : {}),
    };
    const proto = tls ? 'TLS' : 'TCP';
    try {
      socket = tls ? nodeTls().connect({ ...base, ...tls }, onReady) : netConnect(base, onReady);
    } catch (err) {
      // Options Node refuses synchronously (a bad source address or TLS option) fail the query.
      return finish(new Error(`${proto}: ${(err as Error).message}`));
    }
    socket.on('error', (err) => finish(new Error(`${proto}: ${err.message}`)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length < 2 + length) return;
      const response = received.subarray(2, 2 + length);
      if (response.length < 12 || response.readUInt16BE(0) !== id) {
        finish(new Error(`${proto}: the response does not answer our query (ID mismatch)`));
      } else finish(undefined, response);
    });
    socket.on('end', () => finish(new Error(`${proto}: the server closed the connection before answering`)));
  });
}
