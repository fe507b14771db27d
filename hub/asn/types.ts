import type { IpNumber } from './ip.js';
import type { SpecialRange } from './special.js';

/** One source's answer, in the original Pulse shape: `asn` as "AS123" ('' when none). */
export interface SourceAnswer {
  asn: string;
  name: string;
  err: string;
}

export interface Found {
  asn: number;
  name: string;
}

/**
 * Where ASNs come from: the offline table, Team Cymru, an mmdb file. `lookupIp` resolves to
 * undefined for "not in this source" and throws for "this source could not answer".
 */
export interface AsnSource {
  readonly name: string;
  lookupIp(ip: IpNumber, text: string): Promise<Found | undefined>;
  /** The name this source knows for an ASN; absent when the source is keyed by address only. */
  lookupAsn?(asn: number): Promise<string | undefined>;
}

/** The best answer over every source: the first ASN found, the operator's name for it if any. */
export interface AsnSummary {
  asn: string;
  name: string;
  /** The source the ASN came from. */
  source: string;
}

/** GET /asnlookup/ip/:IP */
export interface IpLookup {
  ip: string;
  result: Record<string, SourceAnswer>;
  /** Set for private, reserved, documentation... addresses: then no source was asked. */
  special?: SpecialRange;
  summary?: AsnSummary;
}

/** GET /asnlookup/asn/:ASN */
export interface AsnLookup {
  asn: string;
  result: Record<string, SourceAnswer>;
}

export const formatAsn = (n: number): string => `AS${n}`;
