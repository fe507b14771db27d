import type { DnsDetails, DnsRecord as WireRecord } from '../lib/probers/details/dns.js';
import type { HttpDetails } from '../lib/probers/details/http.js';
import type { MtrDetails } from '../lib/probers/details/mtr.js';
import type { CertInfo, TlsInfo, TlsSummary } from '../lib/probers/details/tls.js';
import type { RunResult } from './api.js';
import { detailsOf, list, num, str } from './details-read.js';

/**
 * Readers of the structured details each prober returns, through the types derived from the
 * probers' own schemas (lib/probers/details/): the figures and views use these instead of
 * reaching into `details`, so they read the keys the probers write and nothing else. Details
 * come from agents of other versions: every field is still checked before it is used.
 */

export function detail(result: RunResult | null, key: string): unknown {
  return result?.details[key];
}

export interface DnsRecord {
  section: 'answer' | 'authority' | 'additional';
  name: string;
  type: string;
  ttl: number | undefined;
  data: string;
}

const SECTIONS = ['answer', 'authority', 'additional'] as const;

/** Answer, authority and additional records, flattened with their section. */
export function dnsRecords(result: RunResult | null): DnsRecord[] {
  const d = detailsOf<DnsDetails>(result, 'dns');
  if (!d) return [];
  return SECTIONS.flatMap((section) => list(d[section]).map((r) => ({ section, name: str(r.name) ?? '', type: str(r.type) ?? '', ttl: num(r.ttl), data: recordData(r) })));
}

/** An address or name as it is, TXT strings quoted as in a zone file, SOA fields from the record's line. */
function recordData(r: WireRecord): string {
  if (typeof r.data === 'string') return r.data;
  if (Array.isArray(r.data)) return r.data.map((t) => JSON.stringify(t)).join(' ');
  // The zone-file line is "name ttl class type data...": its data part names the SOA fields in order.
  return typeof r.text === 'string' ? r.text.split(/\s+/).slice(4).join(' ') : '';
}

export function dnsRcode(result: RunResult | null): string | undefined {
  return str(detailsOf<DnsDetails>(result, 'dns')?.rcode);
}

/** The name and type asked, for a row's title ("example.org A"). */
export function dnsQuestion(result: RunResult | null): string | undefined {
  const q = detailsOf<DnsDetails>(result, 'dns')?.query;
  return q && typeof q.name === 'string' ? `${q.name} ${str(q.type) ?? ''}`.trim() : undefined;
}

export interface HttpPhase {
  phase: string;
  seconds: number;
}

const HTTP_PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'];

/** probe_http_duration_seconds by phase, in blackbox's phase order. */
export function httpPhases(values: { labels: Record<string, string>; value: number }[]): HttpPhase[] {
  const by = new Map(values.map((s) => [s.labels.phase ?? '', s.value]));
  return HTTP_PHASES.filter((p) => by.has(p)).map((p) => ({ phase: p, seconds: by.get(p)! }));
}

/** Response headers as name/value pairs, a repeated header once per value. */
export function httpHeaders(result: RunResult | null): [string, string][] {
  const h = detailsOf<HttpDetails>(result, 'http')?.headers;
  if (typeof h !== 'object' || h === null) return [];
  return Object.entries(h).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, String(x)]) : [[k, String(v)]]));
}

export type { CertInfo };

/** `details.tls` of the probers that speak TLS: the whole chain (http) or the leaf (tcp, unix, grpc). */
function tlsOf(result: RunResult | null): Partial<TlsInfo & TlsSummary> | undefined {
  const tls = result?.details.tls;
  return typeof tls === 'object' && tls !== null && !Array.isArray(tls) ? (tls as Partial<TlsInfo & TlsSummary>) : undefined;
}

/** The leaf certificate (first of the chain, or tcp's `certificate`), if the probe talked TLS; also when it did not verify. */
export function tlsCertificate(result: RunResult | null): CertInfo | undefined {
  const tls = tlsOf(result);
  const leaf = list(tls?.chain)[0] ?? tls?.certificate;
  return typeof leaf === 'object' && leaf !== null ? leaf : undefined;
}

/** "yes", or "no: <why>" when the chain did not verify (insecure_skip_verify). */
export function tlsVerified(result: RunResult | null): string | undefined {
  const tls = tlsOf(result);
  if (!tls || typeof tls.verified !== 'boolean') return undefined;
  if (tls.verified) return 'yes';
  return typeof tls.verify_error === 'string' ? `no: ${tls.verify_error}` : 'no';
}

export function tlsVersion(result: RunResult | null): string | undefined {
  return str(tlsOf(result)?.version);
}

export interface Hop {
  hop: number;
  /** Host name when mtr resolved one, else the address. */
  host: string;
  ip: string;
  /** 0..1 */
  loss: number | undefined;
  sent: number | undefined;
  last: number | undefined;
  avg: number | undefined;
  best: number | undefined;
  worst: number | undefined;
  stdev: number | undefined;
  /** Added by the hub from its ASN sources (docs/asn.md); as_boundary: the path enters a new AS here. */
  asn?: string;
  as_name?: string;
  as_boundary?: boolean;
}

/** mtr hops, latencies in seconds and loss as a 0..1 ratio, as the prober writes them. */
export function mtrHops(result: RunResult | null): Hop[] {
  return list(detailsOf<MtrDetails>(result, 'mtr')?.hops).map((o, i) => {
    const rtt = o.rtt_seconds ?? undefined;
    return {
      hop: num(o.hop) ?? i + 1,
      host: str(o.hostname) ?? str(o.ip) ?? '???',
      ip: str(o.ip) ?? '',
      loss: num(o.loss_ratio),
      sent: num(o.sent),
      last: num(rtt?.last),
      avg: num(rtt?.avg),
      best: num(rtt?.best),
      worst: num(rtt?.worst),
      stdev: num(rtt?.stddev),
      ...(str(o.asn) ? { asn: str(o.asn), as_name: str(o.as_name) ?? '', as_boundary: o.as_boundary === true } : {}),
    };
  });
}
