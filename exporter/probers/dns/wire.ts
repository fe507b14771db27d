import { PulseError } from '../../../lib/errors.js';
/**
 * Decoding a DNS response from wire format. Hand-written rather than dns-packet's decoder because
 * the record text that validation regexes see must be byte-exact with Go's miekg/dns (escaped
 * label bytes, unknown classes, RFC 3597 rdata), which needs the raw labels and rdata that
 * dns-packet's decoder turns into UTF-8 strings and objects.
 */

export class DnsWireError extends PulseError {
  constructor(message: string) {
    super('PULSE_DNS_MALFORMED', `malformed DNS message: ${message}`);
    this.name = 'DnsWireError';
  }
}

export interface WireFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  z: boolean;
  ad: boolean;
  cd: boolean;
}

export interface WireQuestion {
  name: string;
  type: number;
  class: number;
}

export interface WireRecord {
  /** Presentation form, fully qualified, escaped as miekg prints it. */
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** Where the rdata starts in `message`, for names compressed against earlier bytes. */
  rdataOffset: number;
  rdlength: number;
}

export interface WireMessage {
  message: Buffer;
  id: number;
  flags: WireFlags;
  /** Header rcode, extended by the OPT record's upper bits when there is one (RFC 6891). */
  rcode: number;
  questions: WireQuestion[];
  answer: WireRecord[];
  authority: WireRecord[];
  additional: WireRecord[];
}

const TYPE_OPT = 41;
const MAX_POINTERS = 126;

export function decodeMessage(message: Buffer): WireMessage {
  if (message.length < 12) throw new DnsWireError(`${message.length} bytes is shorter than a header`);
  const bits = message.readUInt16BE(2);
  const flags: WireFlags = {
    qr: (bits & 0x8000) !== 0,
    opcode: (bits >> 11) & 0xf,
    aa: (bits & 0x0400) !== 0,
    tc: (bits & 0x0200) !== 0,
    rd: (bits & 0x0100) !== 0,
    ra: (bits & 0x0080) !== 0,
    z: (bits & 0x0040) !== 0,
    ad: (bits & 0x0020) !== 0,
    cd: (bits & 0x0010) !== 0,
  };
  const counts = [4, 6, 8, 10].map((o) => message.readUInt16BE(o)) as [number, number, number, number];
  let offset = 12;
  const questions: WireQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const { name, next } = readName(message, offset);
    need(message, next, 4, 'question');
    questions.push({ name, type: message.readUInt16BE(next), class: message.readUInt16BE(next + 2) });
    offset = next + 4;
  }
  const sections: WireRecord[][] = [];
  for (const count of counts.slice(1)) {
    const records: WireRecord[] = [];
    for (let i = 0; i < count; i++) {
      const { name, next } = readName(message, offset);
      need(message, next, 10, 'record header');
      const rdlength = message.readUInt16BE(next + 8);
      need(message, next + 10, rdlength, 'rdata');
      records.push({
        name,
        type: message.readUInt16BE(next),
        class: message.readUInt16BE(next + 2),
        ttl: message.readUInt32BE(next + 4),
        rdataOffset: next + 10,
        rdlength,
      });
      offset = next + 10 + rdlength;
    }
    sections.push(records);
  }
  const additional = sections[2] ?? [];
  let rcode = bits & 0xf;
  const opt = additional.find((r) => r.type === TYPE_OPT);
  if (opt) rcode |= (opt.ttl >>> 24) << 4;
  return {
    message,
    id: message.readUInt16BE(0),
    flags,
    rcode,
    questions,
    answer: sections[0] ?? [],
    authority: sections[1] ?? [],
    additional,
  };
}

/** A (possibly compressed) name at `offset`; `next` is the offset after it in the original place. */
export function readName(message: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next: number | undefined;
  let pointers = 0;
  let wireLength = 1;
  for (;;) {
    need(message, pos, 1, 'name');
    const len = message[pos]!;
    if (len === 0) {
      pos += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      need(message, pos, 2, 'name pointer');
      if (++pointers > MAX_POINTERS) throw new DnsWireError('too many compression pointers');
      next ??= pos + 2;
      pos = message.readUInt16BE(pos) & 0x3fff;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsWireError(`unsupported label type 0x${len.toString(16)}`);
    need(message, pos + 1, len, 'label');
    wireLength += len + 1;
    if (wireLength > 255) throw new DnsWireError('name longer than 255 bytes');
    labels.push(escapeLabel(message.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : `${labels.join('.')}.`, next: next ?? pos };
}

/** miekg/dns's escaping of label bytes: zone-file specials get a backslash, the rest \DDD. */
function escapeLabel(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x2e || b === 0x20 || b === 0x27 || b === 0x40 || b === 0x3b || b === 0x28 || b === 0x29 || b === 0x22 || b === 0x5c) {
      out += `\\${String.fromCharCode(b)}`;
    } else if (b < 0x20 || b > 0x7e) out += escapeByte(b);
    else out += String.fromCharCode(b);
  }
  return out;
}

export function escapeByte(b: number): string {
  return `\\${b.toString().padStart(3, '0')}`;
}

function need(message: Buffer, offset: number, length: number, what: string): void {
  if (offset + length > message.length) throw new DnsWireError(`${what} runs past the end of the message`);
}
