import { isIP } from 'node:net';

/** "fe80::1%eth0" → "fe80::1": the zone names an interface, it is not part of the address. */
export function stripZone(address: string): string {
  const i = address.indexOf('%');
  return i < 0 ? address : address.slice(0, i);
}

/**
 * blackbox's probe_ip_addr_hash: FNV-1a (32 bit) over the address's bytes. blackbox 0.23 hashes
 * an IPv4-mapped IPv6 address like the IPv4 one (checked against its tcp and icmp probers:
 * ::ffff:127.0.0.1 and 127.0.0.1 both give 3668918509), hence ipBytes' To4() shrinking.
 */
export function ipHash(address: string): number {
  let h = hashes.get(address);
  if (h === undefined) {
    h = computeIpHash(address);
    // Scrapes probe the same few addresses over and over; bounded, as targets are the caller's.
    if (hashes.size >= 1024) hashes.clear();
    hashes.set(address, h);
  }
  return h;
}

const hashes = new Map<string, number>();

function computeIpHash(address: string): number {
  let h = 0x811c9dc5;
  for (const b of ipBytes(address)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * An address's bytes as Go's To4() ?? To16() gives them: 4 for IPv4 and IPv4-mapped IPv6, 16 for
 * other IPv6. Throws on anything that is not an IP address.
 */
export function ipBytes(address: string): number[] {
  const ip = stripZone(address);
  const family = isIP(ip);
  if (family === 4) return ip.split('.').map(Number);
  if (family !== 6) throw new Error(`not an IP address: ${address}`);
  const [headText, tailText] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const head = groupBytes(headText);
  const tail = groupBytes(tailText);
  const bytes = [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

/** The bytes of colon-separated groups, where the last may be a dotted IPv4 tail. */
function groupBytes(part: string | undefined): number[] {
  if (!part) return [];
  const out: number[] = [];
  for (const group of part.split(':')) {
    if (group.includes('.')) out.push(...group.split('.').map(Number));
    else {
      const v = Number.parseInt(group, 16);
      out.push(v >> 8, v & 0xff);
    }
  }
  return out;
}
