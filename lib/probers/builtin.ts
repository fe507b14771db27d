import { BurstOptions, burstOptionsError, burstUnsupported } from '../config/probers/burst.js';
import { DnsOptions, dnsUnsupported } from '../config/probers/dns.js';
import { GrpcOptions, grpcUnsupported } from '../config/probers/grpc.js';
import {
  FileContainsOptions,
  FileExistsOptions,
  fileContainsOptionsError,
  hostUnsupported,
  ProcessRunningOptions,
} from '../config/probers/host.js';
import { httpOptionsError } from '../config/probers/http-rules.js';
import { HttpOptions, httpUnsupported } from '../config/probers/http.js';
import { IcmpOptions, icmpUnsupported } from '../config/probers/icmp.js';
import { MtrOptions, mtrOptionsError, mtrUnsupported } from '../config/probers/mtr.js';
import { SocketsOptions, socketsUnsupported } from '../config/probers/sockets.js';
import { TcpOptions, tcpOptionsError, tcpUnsupported } from '../config/probers/tcp.js';
import { UnixOptions, unixOptionsError, unixUnsupported } from '../config/probers/unix.js';
import { WebsocketOptions, websocketOptionsError, websocketUnsupported } from '../config/probers/websocket.js';
import { BurstDetails } from './details/burst.js';
import { DnsDetails } from './details/dns.js';
import { GrpcDetails } from './details/grpc.js';
import { FileContainsDetails, FileExistsDetails, ProcessRunningDetails } from './details/host.js';
import { HttpDetails } from './details/http.js';
import { IcmpDetails } from './details/icmp.js';
import { MtrDetails } from './details/mtr.js';
import { SocketsDetails } from './details/sockets.js';
import { TcpDetails } from './details/tcp.js';
import { UnixDetails } from './details/unix.js';
import { WebsocketDetails } from './details/websocket.js';
import type { ProberSpec } from './spec.js';

/**
 * THE list of Pulse's probers (the section key is the prober's name, as in blackbox.yml). The
 * exporter's implementations are typed against these keys, so a prober cannot be configured
 * without being implemented, nor implemented without a schema. Adding one: docs/architecture.md.
 */
export const BUILTIN_PROBERS = {
  http: {
    options: HttpOptions,
    unsupported: httpUnsupported,
    rule: httpOptionsError,
    details: HttpDetails,
    test: { command: 'http', title: 'HTTP', summary: 'fetch a URL from every agent (timings, status, certificate)', target: 'URL' },
  },
  tcp: {
    options: TcpOptions,
    unsupported: tcpUnsupported,
    rule: tcpOptionsError,
    details: TcpDetails,
    test: { command: 'tcp', title: 'TCP', summary: 'connect to HOST:PORT from every agent (or TCP ping)', target: 'HOST:PORT' },
  },
  dns: {
    options: DnsOptions,
    unsupported: dnsUnsupported,
    details: DnsDetails,
    test: { command: 'dns', title: 'DNS', summary: 'look a name up from every agent', target: 'NAME' },
  },
  icmp: {
    options: IcmpOptions,
    unsupported: icmpUnsupported,
    // ping spawns a process per probe
    limits: { concurrency: 64, queue: 512 },
    details: IcmpDetails,
    test: { command: 'ping', title: 'Ping', summary: 'ping a host from every agent', target: 'HOST' },
  },
  mtr: {
    options: MtrOptions,
    unsupported: mtrUnsupported,
    rule: mtrOptionsError,
    // mtr runs for seconds and holds a raw socket
    limits: { concurrency: 8, queue: 64 },
    details: MtrDetails,
    test: { command: 'mtr', title: 'mtr', summary: 'trace the path to a host from every agent', target: 'HOST' },
  },
  file_exists: { options: FileExistsOptions, unsupported: hostUnsupported, details: FileExistsDetails },
  file_contains: { options: FileContainsOptions, unsupported: hostUnsupported, rule: fileContainsOptionsError, details: FileContainsDetails },
  process_running: { options: ProcessRunningOptions, unsupported: hostUnsupported, details: ProcessRunningDetails },
  burst: {
    options: BurstOptions,
    unsupported: burstUnsupported,
    rule: burstOptionsError,
    // each burst opens up to thousands of connections
    limits: { concurrency: 4, queue: 16 },
    details: BurstDetails,
    test: { command: 'burst', title: 'Burst', summary: 'open N connections at once from every agent', target: 'HOST:PORT' },
  },
  sockets: {
    options: SocketsOptions,
    unsupported: socketsUnsupported,
    details: SocketsDetails,
    test: { command: 'sockets', title: 'Sockets', summary: "show every agent's own TCP sockets by state (netstat)", target: 'FILTER' },
  },
  unix: { options: UnixOptions, unsupported: unixUnsupported, rule: unixOptionsError, details: UnixDetails },
  grpc: { options: GrpcOptions, unsupported: grpcUnsupported, details: GrpcDetails },
  websocket: { options: WebsocketOptions, unsupported: websocketUnsupported, rule: websocketOptionsError, details: WebsocketDetails },
} as const satisfies Record<string, Omit<ProberSpec, 'name'>>;

export type BuiltinProbers = typeof BUILTIN_PROBERS;
