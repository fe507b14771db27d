import { isIPv4, isIPv6 } from 'node:net';

/**
 * An address as numbers the range index compares: IPv4 as one unsigned 32-bit value, IPv6 as four
 * (most significant first). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address.
 */
export type IpNumber = { family: 4; value: number } | { family: 6; words: [number, number, number, number] };

/** Dotted quad to an unsigned 32-bit number; undefined when it is not one. */
export function ipv4ToNumber(s: string): number | undefined {
  if (!isIPv4(s)) return undefined;
  let n = 0;
  let part = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + part;
      part = 0;
    } else {
      part = part * 10 + (c - 48);
    }
  }
  return n * 256 + part;
}

export function numberToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** IPv6 text (any valid form, an embedded IPv4 tail too, no zone) to four 32-bit words. */
export function ipv6ToWords(s: string): [number, number, number, number] | undefined {
  // A zone (fe80::1%eth0) names an interface of one host: no table can answer for it.
  if (!isIPv6(s) || s.includes('%')) return undefined;
  let text = s;
  const groups: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let v4: number | undefined;
  if (tail.includes('.')) {
    v4 = ipv4ToNumber(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - rest.length;
  for (const g of head) groups.push(Number.parseInt(g, 16));
  for (let i = 0; i < (halves.length > 1 ? fill : 0); i++) groups.push(0);
  for (const g of rest) groups.push(Number.parseInt(g, 16));
  if (groups.length !== 8) return undefined;
  const w: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) w[i] = (groups[2 * i]! * 0x10000 + groups[2 * i + 1]!) >>> 0;
  if (v4 !== undefined) w[3] = v4;
  return w;
}

/** Parses an address for lookup; undefined when `s` is not an IP address. */
export function parseIp(s: string): IpNumber | undefined {
  const v4 = ipv4ToNumber(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const w = ipv6ToWords(s);
  if (!w) return undefined;
  if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { family: 4, value: w[3] };
  return { family: 6, words: w };
}
