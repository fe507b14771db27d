import type { DnsTransport } from './exchange.js';
import type { FormattedRecord } from './rdata.js';
import type { DnsFlags } from './response.js';

/** The structured result of a dns probe: what `/api/v1/run` returns and the hub shows. */
export type DnsDetails = {
  resolver: {
    /** The probe target as given. */
    target: string;
    host: string;
    port: number;
    /** `ip:port` actually asked (`[v6]:port`), once the host is resolved. */
    address?: string;
    ip?: string;
    ip_protocol?: 4 | 6;
    /** The transport that gave the answer: `tcp` after a truncated UDP answer. */
    transport: DnsTransport;
    retried_over_tcp?: boolean;
  };
  query: {
    name: string;
    type: string;
    type_code: number;
    class: string;
    recursion_desired: boolean;
    id?: number;
  };
  rcode?: string;
  flags?: DnsFlags;
  answer?: FormattedRecord[];
  authority?: FormattedRecord[];
  additional?: FormattedRecord[];
  /** Seconds, as probe_dns_duration_seconds' phases. */
  timings: { resolve: number; connect: number; request: number };
};
