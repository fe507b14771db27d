import Type from 'typebox';
import { Duration, type UnsupportedOption } from './common.js';
import { BurstOptions, burstOptionsError, burstUnsupported } from './probers/burst.js';
import { DnsOptions, dnsUnsupported } from './probers/dns.js';
import {
  FileContainsOptions,
  FileExistsOptions,
  fileContainsOptionsError,
  hostUnsupported,
  ProcessRunningOptions,
} from './probers/host.js';
import { httpOptionsError } from './probers/http-rules.js';
import { HttpOptions, httpUnsupported } from './probers/http.js';
import { IcmpOptions, icmpUnsupported } from './probers/icmp.js';
import { MtrOptions, mtrOptionsError, mtrUnsupported } from './probers/mtr.js';
import { SocketsOptions, socketsUnsupported } from './probers/sockets.js';
import { TcpOptions, tcpOptionsError, tcpUnsupported } from './probers/tcp.js';
import { GrpcOptions, grpcUnsupported } from './probers/grpc.js';
import { UnixOptions, unixOptionsError, unixUnsupported } from './probers/unix.js';
import { WebsocketOptions, websocketOptionsError, websocketUnsupported } from './probers/websocket.js';

/**
 * Every prober Pulse has, by name, with the schema of its module section (the section key is the
 * prober's name, as in blackbox.yml). The exporter's registry is typed against these keys, so a
 * prober cannot be configured without being implemented, nor implemented without a schema.
 */
export const PROBER_OPTIONS = {
  http: HttpOptions,
  tcp: TcpOptions,
  dns: DnsOptions,
  icmp: IcmpOptions,
  mtr: MtrOptions,
  file_exists: FileExistsOptions,
  file_contains: FileContainsOptions,
  process_running: ProcessRunningOptions,
  burst: BurstOptions,
  sockets: SocketsOptions,
  unix: UnixOptions,
  grpc: GrpcOptions,
  websocket: WebsocketOptions,
} as const;

export type ProberName = keyof typeof PROBER_OPTIONS;
export const PROBER_NAMES = Object.keys(PROBER_OPTIONS) as ProberName[];
export type ProberOptions<P extends ProberName> = Type.Static<(typeof PROBER_OPTIONS)[P]>;

/** blackbox_exporter options Pulse refuses by name instead of ignoring, per section. */
export const UNSUPPORTED_OPTIONS: Record<string, UnsupportedOption[]> = {
  http: httpUnsupported,
  tcp: tcpUnsupported,
  dns: dnsUnsupported,
  icmp: icmpUnsupported,
  mtr: mtrUnsupported,
  file_exists: hostUnsupported,
  file_contains: hostUnsupported,
  process_running: hostUnsupported,
  burst: burstUnsupported,
  sockets: socketsUnsupported,
  unix: unixUnsupported,
  grpc: grpcUnsupported,
  websocket: websocketUnsupported,
};

/**
 * Rules across several options of one section that a schema cannot express (e.g. "at most one
 * auth method"). The loader refuses a file that breaks them; probers check ad-hoc options too.
 */
export const OPTION_RULES: { [P in ProberName]?: (options: ProberOptions<P>) => string | undefined } = {
  http: httpOptionsError,
  tcp: tcpOptionsError,
  unix: unixOptionsError,
  websocket: websocketOptionsError,
  file_contains: fileContainsOptionsError,
  mtr: mtrOptionsError,
  burst: burstOptionsError,
};

/** blackbox_exporter probers Pulse does not have. */
export const UNSUPPORTED_PROBERS = [] as const;

export const Module = Type.Object(
  {
    prober: Type.Enum(PROBER_NAMES),
    timeout: Type.Optional(Duration({ description: 'cap on the probe; the scrape timeout caps it too' })),
    http: Type.Optional(HttpOptions),
    tcp: Type.Optional(TcpOptions),
    dns: Type.Optional(DnsOptions),
    icmp: Type.Optional(IcmpOptions),
    mtr: Type.Optional(MtrOptions),
    file_exists: Type.Optional(FileExistsOptions),
    file_contains: Type.Optional(FileContainsOptions),
    process_running: Type.Optional(ProcessRunningOptions),
    burst: Type.Optional(BurstOptions),
    sockets: Type.Optional(SocketsOptions),
    unix: Type.Optional(UnixOptions),
    grpc: Type.Optional(GrpcOptions),
    websocket: Type.Optional(WebsocketOptions),
  },
  { additionalProperties: false },
);
export type Module = Type.Static<typeof Module>;
