import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cachedPeerCertificate, peerCommonName } from '../../lib/pki.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';

describe('cachedPeerCertificate', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });
  afterAll(async () => {
    await pki.cleanup();
  });

  test('parses once per connection, and each connection keeps its own peer', async () => {
    const server = await pki.issue('hub', { usage: 'server' });
    const clients = [await pki.issue('alice', { usage: 'client' }), await pki.issue('bob', { usage: 'client' })];
    const seen: Array<{ first: string | undefined; same: boolean }> = [];
    const tls = createServer({ cert: server.cert, key: server.key, ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (socket: TLSSocket) => {
      const first = cachedPeerCertificate(socket);
      seen.push({ first: peerCommonName(first), same: cachedPeerCertificate(socket) === first });
      socket.end();
    });
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    const { port } = tls.address() as AddressInfo;
    try {
      for (const c of clients) {
        const socket = connect({ host: '127.0.0.1', port, ca: pki.ca, cert: c.cert, key: c.key, servername: 'localhost' });
        socket.resume();
        await once(socket, 'end');
        socket.destroy();
      }
    } finally {
      tls.close();
    }
    expect(seen).toEqual([
      { first: 'alice', same: true },
      { first: 'bob', same: true },
    ]);
  });
});
