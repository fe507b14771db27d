import { rcodeName } from '../../../lib/config/probers/dns-names.js';
import { type FormattedRecord, formatRecord } from './rdata.js';
import { decodeMessage } from './wire.js';

export interface DnsFlags {
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

export interface DnsResponse {
  id: number;
  rcode: string;
  rcodeNumber: number;
  flags: DnsFlags;
  answer: FormattedRecord[];
  authority: FormattedRecord[];
  additional: FormattedRecord[];
}

/** A response message, every record already in text form; throws DnsWireError when malformed. */
export function parseResponse(message: Buffer): DnsResponse {
  const m = decodeMessage(message);
  const format = (rrs: typeof m.answer) => rrs.map((rr) => formatRecord(message, rr));
  return {
    id: m.id,
    rcode: rcodeName(m.rcode),
    rcodeNumber: m.rcode,
    flags: { aa: m.flags.aa, tc: m.flags.tc, rd: m.flags.rd, ra: m.flags.ra, ad: m.flags.ad, cd: m.flags.cd },
    answer: format(m.answer),
    authority: format(m.authority),
    additional: format(m.additional),
  };
}

/** The serial blackbox reports: the last SOA record of the answer section, 0 if there is none. */
export function soaSerial(answer: readonly FormattedRecord[]): number {
  let serial = 0;
  for (const rr of answer) {
    if (rr.type === 'SOA' && typeof rr.data === 'object' && !Array.isArray(rr.data)) serial = rr.data.serial;
  }
  return serial;
}
