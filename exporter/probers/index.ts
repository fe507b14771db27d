import type { ProberName } from '../../lib/config/module.js';
import type { Prober } from '../../lib/probe/types.js';
import { burstProber } from './burst.js';
import { dnsProber } from './dns.js';
import { fileContainsProber, fileExistsProber, processRunningProber } from './host.js';
import { httpProber } from './http.js';
import { icmpProber } from './icmp.js';
import { mtrProber } from './mtr.js';
import { socketsProber } from './sockets.js';
import { grpcProber } from './grpc.js';
import { tcpProber } from './tcp.js';
import { unixProber } from './unix.js';
import { websocketProber } from './websocket.js';

/** The built-in probers by name, plus any registered in the catalog (lib/probers/catalog.ts). */
// biome-ignore lint/suspicious/noExplicitAny: a registered prober's options are its own schema's
export type ProberRegistry = { readonly [P in ProberName]: Prober<P> } & { readonly [name: string]: Prober<any> };

/** The built-in implementations; their keys are lib/probers/builtin.ts's (the compiler checks both ways). */
export function defaultProbers(): ProberRegistry {
  return {
    http: httpProber,
    tcp: tcpProber,
    dns: dnsProber,
    icmp: icmpProber,
    mtr: mtrProber,
    file_exists: fileExistsProber,
    file_contains: fileContainsProber,
    process_running: processRunningProber,
    burst: burstProber,
    sockets: socketsProber,
    unix: unixProber,
    grpc: grpcProber,
    websocket: websocketProber,
  };
}
