import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import dnsPacket from 'dns-packet';

export type DnsTransportName = 'udp' | 'tcp' | 'tls';

export interface ReceivedQuery {
  transport: DnsTransportName;
  id: number;
  /** As dns-packet decodes it: no trailing dot, `.` for the root. */
  name: string;
  /** dns-packet's name for the type (`UNKNOWN_n` for numbers it does not know) and the number. */
  type: string;
  typeCode: number;
  class: string;
  recursionDesired: boolean;
}

export interface DnsAnswerReply {
  rcode?: string;
  answers?: dnsPacket.Answer[];
  authorities?: dnsPacket.Answer[];
  additionals?: dnsPacket.Answer[];
  aa?: boolean;
  ra?: boolean;
  ad?: boolean;
  /** Over UDP, answer with the TC bit and no records, so the client must ask again over TCP. */
  truncateUdp?: boolean;
}

/** `silence` never answers; `raw` sends these exact bytes (malformed or mismatched replies). */
export type DnsReply = DnsAnswerReply | 'silence' | { raw: Buffer };

export type DnsHandler = (q: ReceivedQuery) => DnsReply | Promise<DnsReply>;

export interface DnsTestServer {
  host: string;
  /** UDP and TCP listen on the same port, as a resolver does. */
  port: number;
  /** `host:port` (`[::1]:port` for IPv6), ready to use as a probe target. */
  target: string;
  /** DNS over TLS port, when started with a certificate. */
  tlsPort?: number;
  queries: ReceivedQuery[];
  handle(handler: DnsHandler): void;
  close(): Promise<void>;
}

export interface DnsServerOptions {
  host?: string;
  handler?: DnsHandler;
  tls?: { cert: string; key: string };
  /** A fixed port instead of 0: 53 inside a network namespace, for getaddrinfo to ask it. */
  port?: number;
}

/** A real DNS server on loopback, UDP and TCP on one port 0, answering what each test scripts. */
export async function startDnsServer(opts: DnsServerOptions = {}): Promise<DnsTestServer> {
  const host = opts.host ?? '127.0.0.1';
  let handler: DnsHandler = opts.handler ?? (() => ({ rcode: 'REFUSED' }));
  const queries: ReceivedQuery[] = [];
  const sockets = new Set<Socket>();

  const answer = async (msg: Buffer, transport: DnsTransportName): Promise<Buffer | undefined> => {
    let packet: dnsPacket.DecodedPacket;
    try {
      packet = dnsPacket.decode(msg);
    } catch {
      return undefined;
    }
    const q = packet.questions?.[0];
    const received: ReceivedQuery = {
      transport,
      id: packet.id ?? 0,
      name: q?.name ?? '',
      type: q?.type ?? '',
      // The question is the query's last bytes: our clients (Pulse, blackbox) send no EDNS record.
      typeCode: msg.length >= 4 ? msg.readUInt16BE(msg.length - 4) : 0,
      class: q?.class ?? '',
      recursionDesired: Boolean(packet.flag_rd),
    };
    queries.push(received);
    const reply = await handler(received);
    if (reply === 'silence') return undefined;
    if ('raw' in reply) return reply.raw;
    return encodeReply(packet, reply, transport === 'udp');
  };

  const { udp, tcp, port } = await bindPair(
    host,
    opts.port ?? 0,
    (udp, msg, rinfo) => {
      void answer(msg, 'udp').then((out) => {
        if (out) udp.send(out, rinfo.port, rinfo.address);
      });
    },
    (socket) => serveStream(socket, 'tcp', answer, sockets),
  );

  let tlsServer: Server | undefined;
  let tlsPort: number | undefined;
  if (opts.tls) {
    const server = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, (socket) => serveStream(socket, 'tls', answer, sockets));
    tlsServer = server;
    tlsPort = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve((server.address() as { port: number }).port));
    });
  }

  return {
    host,
    port,
    target: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    queries,
    handle(h) {
      handler = h;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
        tlsServer ? new Promise<void>((r) => tlsServer.close(() => r())) : Promise.resolve(),
      ]);
    },
  };
}

/** Binds UDP to port 0, then TCP to the same number; a fresh pair if TCP finds it taken. */
async function bindPair(
  host: string,
  fixed: number,
  onMessage: (udp: UdpSocket, msg: Buffer, rinfo: RemoteInfo) => void,
  onConnection: (s: Socket) => void,
): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (msg, rinfo) => onMessage(udp, msg, rinfo));
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(fixed, host, () => resolve(udp.address().port));
    });
    const tcp = createTcpServer(onConnection);
    const ok = await new Promise<boolean>((resolve, reject) => {
      tcp.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' && fixed === 0 && attempt < 20 ? resolve(false) : reject(err)));
      tcp.listen(port, host, () => resolve(true));
    });
    if (ok) return { udp, tcp, port };
    await new Promise<void>((r) => udp.close(() => r()));
  }
}

function serveStream(
  socket: Socket,
  transport: DnsTransportName,
  answer: (msg: Buffer, t: DnsTransportName) => Promise<Buffer | undefined>,
  sockets: Set<Socket>,
): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
      const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
      buffered = buffered.subarray(2 + msg.length);
      void answer(msg, transport).then((out) => {
        if (!out || socket.destroyed) return;
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        socket.write(Buffer.concat([len, out]));
      });
    }
  });
}

const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/**
 * Like a real server answering a query without EDNS, a UDP answer over 512 bytes goes out
 * truncated (TC bit, no records); so does any UDP answer when the test asks for truncation.
 */
function encodeReply(query: dnsPacket.DecodedPacket, reply: DnsAnswerReply, overUdp: boolean): Buffer {
  const full = encodeFlags(query, reply, overUdp && reply.truncateUdp === true);
  if (!overUdp || full.length <= 512) return full;
  return encodeFlags(query, reply, true);
}

function encodeFlags(query: dnsPacket.DecodedPacket, reply: DnsAnswerReply, truncate: boolean): Buffer {
  let flags = RCODES[reply.rcode ?? 'NOERROR'] ?? 0;
  if (reply.aa ?? true) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (query.flag_rd) flags |= dnsPacket.RECURSION_DESIRED;
  if (reply.ra) flags |= dnsPacket.RECURSION_AVAILABLE;
  if (reply.ad) flags |= dnsPacket.AUTHENTIC_DATA;
  if (truncate) flags |= dnsPacket.TRUNCATED_RESPONSE;
  return dnsPacket.encode({
    type: 'response',
    id: query.id ?? 0,
    flags,
    questions: query.questions ?? [],
    answers: truncate ? [] : (reply.answers ?? []),
    authorities: truncate ? [] : (reply.authorities ?? []),
    additionals: truncate ? [] : (reply.additionals ?? []),
  });
}

/** The zone apex SOA the tests serve (serial 2024010101), for negative answers and SOA queries. */
export const EXAMPLE_SOA: dnsPacket.Answer = {
  type: 'SOA',
  name: 'example.org',
  ttl: 3600,
  data: { mname: 'ns1.example.org', rname: 'hostmaster.example.org', serial: 2024010101, refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
};

/**
 * A handler answering from a list of records: records of the asked name and type (or all of the
 * name for ANY), NOERROR with no records when the name exists without that type, NXDOMAIN when
 * it does not exist; the SOA, if given, goes to the authority section of those negative answers.
 */
export function zone(records: dnsPacket.Answer[], opts: { soa?: dnsPacket.Answer; truncateUdp?: boolean } = {}): DnsHandler {
  const norm = (n: string) => n.replace(/\.$/, '').toLowerCase();
  return (q) => {
    const ofName = records.filter((r) => norm(r.name) === norm(q.name));
    const matching = ofName.filter((r) => q.type === 'ANY' || r.type === q.type);
    const negative = opts.soa ? [opts.soa] : [];
    const reply: DnsAnswerReply =
      ofName.length === 0
        ? { rcode: 'NXDOMAIN', authorities: negative }
        : { answers: matching, authorities: matching.length === 0 ? negative : [] };
    if (opts.truncateUdp) reply.truncateUdp = true;
    return reply;
  };
}
