import type { RunResult } from './api.js';

/**
 * Tolerant readers for the structured details each prober returns. The figures and views use
 * these instead of reaching into `details` directly, so a prober adding fields breaks nothing.
 */

export function detail(result: RunResult | null, key: string): unknown {
  return result?.details[key];
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export interface DnsRecord {
  section: string;
  name: string;
  type: string;
  ttl: number | undefined;
  data: string;
}

/** Answer, authority and additional records, flattened with their section. */
export function dnsRecords(result: RunResult | null): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const section of ['answer', 'authority', 'additional']) {
    const list = detail(result, section) ?? detail(result, `${section}s`);
    if (!Array.isArray(list)) continue;
    for (const item of list) out.push(dnsRecord(section, item));
  }
  return out;
}

function dnsRecord(section: string, item: unknown): DnsRecord {
  const o = obj(item);
  if (!o) return { section, name: '', type: '', ttl: undefined, data: str(item) ?? JSON.stringify(item) };
  const data = o.data ?? o.rdata ?? o.value ?? o.address;
  return {
    section,
    name: str(o.name) ?? '',
    type: str(o.type) ?? '',
    ttl: num(o.ttl),
    data: str(data) ?? JSON.stringify(data ?? o),
  };
}

export function dnsRcode(result: RunResult | null): string | undefined {
  return str(detail(result, 'rcode'));
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

/** Response headers as name/value pairs, whatever shape the prober keeps them in. */
export function httpHeaders(result: RunResult | null): [string, string][] {
  const h = detail(result, 'headers') ?? detail(result, 'response_headers');
  if (Array.isArray(h)) {
    return h.flatMap((e): [string, string][] => {
      if (Array.isArray(e) && e.length >= 2) return [[String(e[0]), String(e[1])]];
      const o = obj(e);
      return o ? [[str(o.name) ?? '', str(o.value) ?? '']] : [];
    });
  }
  const o = obj(h);
  if (!o) return [];
  return Object.entries(o).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]));
}

export interface CertInfo {
  subject?: string;
  issuer?: string;
  not_before?: string;
  not_after?: string;
  dns_names?: string[];
  serial?: string;
  fingerprint_sha256?: string;
  [key: string]: unknown;
}

/** The leaf certificate (first of the chain), if the probe talked TLS. */
export function tlsCertificate(result: RunResult | null): CertInfo | undefined {
  const tls = obj(detail(result, 'tls'));
  const chain = tls?.chain ?? tls?.certificates ?? detail(result, 'certificates') ?? detail(result, 'chain');
  if (Array.isArray(chain) && chain.length > 0) return obj(chain[0]) as CertInfo | undefined;
  const leaf = tls?.certificate ?? tls?.leaf ?? detail(result, 'certificate');
  return obj(leaf) as CertInfo | undefined;
}

/** "yes", or "no: <why>" when the chain did not verify (insecure_skip_verify). */
export function tlsVerified(result: RunResult | null): string | undefined {
  const tls = obj(detail(result, 'tls'));
  if (!tls || typeof tls.verified !== 'boolean') return undefined;
  if (tls.verified) return 'yes';
  return typeof tls.verify_error === 'string' ? `no: ${tls.verify_error}` : 'no';
}

export function tlsVersion(result: RunResult | null): string | undefined {
  const tls = obj(detail(result, 'tls'));
  return str(tls?.version);
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

/** mtr hops, latencies in seconds and loss as a 0..1 ratio, as Pulse's metrics are. */
export function mtrHops(result: RunResult | null): Hop[] {
  const list = detail(result, 'hops');
  if (!Array.isArray(list)) return [];
  return list.map((item, i) => {
    const o = obj(item) ?? {};
    // Pulse's mtr prober nests RTTs in seconds under rtt_seconds; flat mtr --json style keys (ms) also read.
    const rtt = obj(o.rtt_seconds);
    const seconds = (k: string, alt?: string) =>
      rtt ? (num(rtt[k]) ?? (alt ? num(rtt[alt]) : undefined)) : num(o[`${k}_seconds`]) ?? (num(o[k]) !== undefined ? num(o[k])! / 1000 : undefined);
    const lossPct = num(o.loss_percent) ?? num(o['Loss%']);
    return {
      hop: num(o.hop) ?? num(o.count) ?? i + 1,
      host: str(o.hostname) ?? str(o.ip) ?? str(o.host) ?? '???',
      ip: str(o.ip) ?? '',
      loss: num(o.loss_ratio) ?? (lossPct !== undefined ? lossPct / 100 : undefined),
      sent: num(o.sent) ?? num(o.snt),
      last: seconds('last'),
      avg: seconds('avg'),
      best: seconds('best'),
      worst: seconds('worst'),
      stdev: seconds('stddev', 'stdev'),
      ...(str(o.asn) ? { asn: str(o.asn), as_name: str(o.as_name) ?? '', as_boundary: o.as_boundary === true } : {}),
    };
  });
}
