import { PulseError } from '../../lib/errors.js';
import type { IpNumber } from './ip.js';

/**
 * Team Cymru's IP-to-ASN service over DNS, as pure functions: the names to ask and the TXT
 * answers parsed. Formats: origin `"13335 | 1.1.1.0/24 | AU | apnic | 2011-08-11"` (several
 * origin ASNs may share the first field), AS `"13335 | US | arin | 2010-07-14 | CLOUDFLARENET - Cloudflare, Inc., US"`.
 */

export function originQueryName(ip: IpNumber): string {
  if (ip.family === 4) {
    const v = ip.value;
    return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${v >>> 24}.origin.asn.cymru.com`;
  }
  const nibbles: string[] = [];
  for (const w of ip.words) for (let shift = 28; shift >= 0; shift -= 4) nibbles.push(((w >>> shift) & 15).toString(16));
  return `${nibbles.reverse().join('.')}.origin6.asn.cymru.com`;
}

export const asnQueryName = (asn: number): string => `AS${asn}.asn.cymru.com`;

/** Thrown for an answer that is not in Cymru's format: that source's `err`. */
export class CymruFormatError extends PulseError {
  constructor(message: string) {
    super('PULSE_UPSTREAM_FORMAT', message);
    this.name = 'CymruFormatError';
  }
}

function fields(records: string[][]): string[] {
  const text = records[0]?.join('');
  if (text === undefined) throw new CymruFormatError('empty answer');
  const parts = text.split('|').map((p) => p.trim());
  return parts;
}

/** The origin ASN (the first when several announce the prefix). */
export function parseOrigin(records: string[][]): number {
  const parts = fields(records);
  const first = parts[0]?.split(/\s+/)[0] ?? '';
  if (parts.length < 3 || !/^[0-9]{1,10}$/.test(first) || Number(first) > 0xffffffff) {
    throw new CymruFormatError(`malformed origin answer ${JSON.stringify(records[0]?.join('').slice(0, 120))}`);
  }
  return Number(first);
}

/** The AS name (the fifth field). */
export function parseAsName(records: string[][]): string {
  const parts = fields(records);
  if (parts.length < 5 || !/^[0-9]{1,10}$/.test(parts[0]!)) {
    throw new CymruFormatError(`malformed AS answer ${JSON.stringify(records[0]?.join('').slice(0, 120))}`);
  }
  return parts.slice(4).join('|').trim();
}
