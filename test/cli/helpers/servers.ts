import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import dnsPacket from 'dns-packet';

export interface Closable {
  port: number;
  close(): Promise<void>;
}

/** Accepts TCP connections on 127.0.0.1 and closes them. */
export async function tcpServer(): Promise<Closable> {
  const server = createTcpServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A port on 127.0.0.1 nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = await tcpServer();
  await s.close();
  return s.port;
}

/** Answers 200 with a small body and remembers each request's headers. */
export async function httpServer(): Promise<Closable & { requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/plain', 'x-pulse-test': 'yes' });
    res.end('hello from the test server\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A UDP DNS server on 127.0.0.1 with fixed A records; anything else is NXDOMAIN. */
export async function dnsServer(records: Record<string, string[]>): Promise<Closable & { queries: string[] }> {
  const queries: string[] = [];
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    if (!question) return;
    queries.push(`${question.name} ${question.type}`);
    const addrs = question.type === 'A' ? (records[question.name.toLowerCase()] ?? []) : [];
    const known = question.name.toLowerCase() in records;
    const answer = dnsPacket.encode({
      type: 'response',
      id: q.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
      questions: q.questions,
      answers: addrs.map((data) => ({ type: 'A' as const, name: question.name, ttl: 300, class: 'IN' as const, data })),
    });
    sock.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  return {
    port: sock.address().port,
    queries,
    close: () => new Promise((r) => sock.close(() => r())),
  };
}
