import { MetricSet } from '../../../lib/probe/metrics.js';
import { addressMetrics, lookupTimeMetric } from '../shared/resolution-metrics.js';

export const DNS_PHASES = ['resolve', 'connect', 'request'] as const;
export type DnsPhase = (typeof DNS_PHASES)[number];

/**
 * blackbox_exporter 0.23's dns metrics, names and help texts included. The series blackbox
 * registers before it does anything (phases, record counts, query_succeeded, and chooseProtocol's
 * three) start at 0 so they exist whatever step fails.
 */
export class DnsMetrics {
  readonly set = new MetricSet();

  constructor() {
    for (const phase of DNS_PHASES) this.phase(phase, 0);
    this.counts(0, 0, 0);
    this.querySucceeded(false);
    this.lookupTime(0);
    this.address(undefined, 0);
  }

  phase(phase: DnsPhase, seconds: number): void {
    this.set.gauge('probe_dns_duration_seconds', 'Duration of DNS request by phase', seconds, { phase });
  }

  lookupTime(seconds: number): void {
    lookupTimeMetric(this.set, seconds);
  }

  /** probe_ip_protocol (4 or 6, 0 when unresolved) and probe_ip_addr_hash. */
  address(family: 4 | 6 | undefined, hash: number): void {
    addressMetrics(this.set, family, hash);
  }

  counts(answer: number, authority: number, additional: number): void {
    this.set.gauge('probe_dns_answer_rrs', 'Returns number of entries in the answer resource record list', answer);
    this.set.gauge('probe_dns_authority_rrs', 'Returns number of entries in the authority resource record list', authority);
    this.set.gauge('probe_dns_additional_rrs', 'Returns number of entries in the additional resource record list', additional);
  }

  querySucceeded(ok: boolean): void {
    this.set.gauge('probe_dns_query_succeeded', 'Displays whether or not the query was executed successfully', ok ? 1 : 0);
  }

  /** Only for SOA queries that got a response, as in blackbox; 0 when no SOA record came back. */
  serial(serial: number): void {
    this.set.gauge('probe_dns_serial', 'Returns the serial number of the zone', serial);
  }
}
