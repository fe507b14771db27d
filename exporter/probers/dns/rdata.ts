/**
 * Record data in zone-file text form, as Go's miekg/dns `RR.String()` prints it, since
 * blackbox_exporter's validate_*_rrs regexes are written against that text.
 */
import { className, typeName } from '../../../lib/config/probers/dns-names.js';
import { DnsWireError, escapeByte, readName, type WireRecord } from './wire.js';

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** What the structured result shows as a record's data: an address, TXT strings, SOA fields, or text. */
export type RecordData = string | string[] | SoaData;

export interface FormattedRecord {
  name: string;
  type: string;
  class: string;
  ttl: number;
  data: RecordData;
  /** The whole record as one zone-file line: what validation regexes match. */
  text: string;
}

export function formatRecord(message: Buffer, rr: WireRecord): FormattedRecord {
  const r = new RdataReader(message, rr.rdataOffset, rr.rdlength);
  const known = formatKnown(r, rr.type);
  if (known !== undefined && r.done()) {
    const type = typeName(rr.type);
    const cls = className(rr.class);
    const text = `${rr.name}\t${rr.ttl}\t${cls}\t${type}\t${known.text}`;
    return { name: rr.name, type, class: cls, ttl: rr.ttl, data: known.data ?? known.text, text };
  }
  if (known !== undefined) throw new DnsWireError(`${typeName(rr.type)} record for ${rr.name} has trailing rdata`);
  // RFC 3597 generic form; miekg also spells the class and type generically here.
  const raw = message.subarray(rr.rdataOffset, rr.rdataOffset + rr.rdlength);
  const generic = `\\# ${raw.length} ${raw.toString('hex')}`;
  const text = `${rr.name}\t${rr.ttl}\tCLASS${rr.class}\tTYPE${rr.type}\t${generic}`;
  return { name: rr.name, type: typeName(rr.type), class: className(rr.class), ttl: rr.ttl, data: generic, text };
}

interface Formatted {
  text: string;
  data?: RecordData;
}

/** The zone-file text of the types miekg prints by name; undefined for the rest (generic form). */
function formatKnown(r: RdataReader, type: number): Formatted | undefined {
  switch (type) {
    case 1: {
      const text = [...r.bytes(4)].join('.');
      return { text };
    }
    case 28:
      return { text: formatIPv6(r.bytes(16)) };
    case 2: // NS
    case 3: // MD
    case 4: // MF
    case 5: // CNAME
    case 7: // MB
    case 8: // MG
    case 9: // MR
    case 12: // PTR
    case 39: // DNAME
      return { text: r.name() };
    case 6: {
      const soa: SoaData = {
        mname: r.name(),
        rname: r.name(),
        serial: r.u32(),
        refresh: r.u32(),
        retry: r.u32(),
        expire: r.u32(),
        minimum: r.u32(),
      };
      const text = `${soa.mname} ${soa.rname} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
      return { text, data: soa };
    }
    case 13: // HINFO
      return { text: [r.charString(), r.charString()].map(quote).join(' ') };
    case 14: // MINFO
    case 17: // RP
      return { text: `${r.name()} ${r.name()}` };
    case 15: // MX
    case 18: // AFSDB
    case 21: // RT
    case 36: // KX
      return { text: `${r.u16()} ${r.name()}` };
    case 16: // TXT
    case 99: // SPF
    case 258: {
      // AVC
      const strings: Buffer[] = [];
      while (!r.done()) strings.push(r.charString());
      return { text: strings.map(quote).join(' '), data: strings.map((s) => s.toString('utf8')) };
    }
    case 33: // SRV
      return { text: `${r.u16()} ${r.u16()} ${r.u16()} ${r.name()}` };
    case 35: {
      // NAPTR
      const head = `${r.u16()} ${r.u16()}`;
      const strings = [r.charString(), r.charString(), r.charString()].map(quote).join(' ');
      return { text: `${head} ${strings} ${r.name()}` };
    }
    case 256: // URI
      return { text: `${r.u16()} ${r.u16()} ${quote(r.rest())}` };
    case 257: {
      // CAA
      const flag = r.u8();
      const tag = r.bytes(r.u8()).toString('latin1');
      return { text: `${flag} ${tag} ${quote(r.rest())}` };
    }
    default:
      return formatKeyed(r, type);
  }
}

/** Keys, digests, signatures and certificates (DNSSEC, SSHFP, TLSA, OPENPGPKEY); undefined for other types. */
function formatKeyed(r: RdataReader, type: number): Formatted | undefined {
  switch (type) {
    case 25: // KEY
    case 48: // DNSKEY
    case 60: // CDNSKEY
      return { text: `${r.u16()} ${r.u8()} ${r.u8()} ${r.rest().toString('base64')}` };
    case 43: // DS
    case 59: // CDS
    case 32768: // TA
    case 32769: // DLV
      return { text: `${r.u16()} ${r.u8()} ${r.u8()} ${r.rest().toString('hex').toUpperCase()}` };
    case 44: // SSHFP
      return { text: `${r.u8()} ${r.u8()} ${r.rest().toString('hex').toUpperCase()}` };
    case 52: // TLSA
    case 53: // SMIMEA
      // Lower-case, unlike DS and SSHFP: miekg prints TLSA certificates with hex.EncodeToString.
      return { text: `${r.u8()} ${r.u8()} ${r.u8()} ${r.rest().toString('hex')}` };
    case 46: {
      // RRSIG
      const head = `${typeName(r.u16())} ${r.u8()} ${r.u8()} ${r.u32()}`;
      const times = `${dnssecTime(r.u32())} ${dnssecTime(r.u32())}`;
      return { text: `${head} ${times} ${r.u16()} ${r.name()} ${r.rest().toString('base64')}` };
    }
    case 47: {
      // NSEC
      const next = r.name();
      const types = typeBitmap(r.rest());
      return { text: [next, ...types.map(typeName)].join(' ') };
    }
    case 61: // OPENPGPKEY
      return { text: r.rest().toString('base64') };
    default:
      return undefined;
  }
}

/** A character-string between double quotes, escaped as miekg's sprintTxt does. */
export function quote(bytes: Buffer): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += escapeByte(b);
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}

/**
 * Go's net.IP.String() for 16 bytes: RFC 5952, and an IPv4-mapped address as bare dotted quad
 * (the miekg/dns in blackbox 0.23 prints AAAA ::ffff:192.0.2.9 as "192.0.2.9").
 */
export function formatIPv6(b: Buffer): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) {
    return [...b.subarray(12)].join('.');
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** RRSIG times as YYYYMMDDHHmmSS in UTC, like miekg's TimeToString. */
function dnssecTime(t: number): string {
  return new Date(t * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function typeBitmap(bytes: Buffer): number[] {
  const types: number[] = [];
  let i = 0;
  while (i + 2 <= bytes.length) {
    const window = bytes[i]!;
    const len = bytes[i + 1]!;
    if (len === 0 || len > 32 || i + 2 + len > bytes.length) throw new DnsWireError('bad NSEC type bitmap');
    for (let j = 0; j < len; j++) {
      const octet = bytes[i + 2 + j]!;
      for (let bit = 0; bit < 8; bit++) if (octet & (0x80 >> bit)) types.push(window * 256 + j * 8 + bit);
    }
    i += 2 + len;
  }
  if (i !== bytes.length) throw new DnsWireError('bad NSEC type bitmap');
  return types;
}

/** A cursor over one record's rdata that refuses to read past it. */
class RdataReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly message: Buffer,
    offset: number,
    length: number,
  ) {
    this.pos = offset;
    this.end = offset + length;
  }

  done(): boolean {
    return this.pos === this.end;
  }

  u8(): number {
    return this.bytes(1)[0]!;
  }

  u16(): number {
    return this.bytes(2).readUInt16BE(0);
  }

  u32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  bytes(n: number): Buffer {
    if (this.pos + n > this.end) throw new DnsWireError('rdata is shorter than its type requires');
    const out = this.message.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  rest(): Buffer {
    return this.bytes(this.end - this.pos);
  }

  charString(): Buffer {
    return this.bytes(this.u8());
  }

  name(): string {
    const { name, next } = readName(this.message, this.pos);
    if (next > this.end) throw new DnsWireError('name runs past its rdata');
    this.pos = next;
    return name;
  }
}
