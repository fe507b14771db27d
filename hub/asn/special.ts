import { type IpNumber, ipv4ToNumber, ipv6ToWords } from './ip.js';

/** Why an address has no ASN: it is not routed on the public internet. */
export interface SpecialRange {
  kind: 'private' | 'loopback' | 'link-local' | 'documentation' | 'reserved' | 'multicast' | 'shared' | 'unspecified' | 'unique-local' | 'benchmarking';
  /** The registry's name for the block and the RFC that sets it aside. */
  name: string;
  rfc: string;
}

type Row = [cidr: string, kind: SpecialRange['kind'], name: string, rfc: string];

// IANA's IPv4 and IPv6 special-purpose address registries (the blocks not globally reachable),
// plus multicast. Relay and translation prefixes (6to4, Teredo, 64:ff9b::/96) are left out:
// they carry public addresses that do have an ASN.
const V4: Row[] = [
  ['0.0.0.0/8', 'unspecified', '"This network"', 'RFC 791'],
  ['10.0.0.0/8', 'private', 'Private-Use', 'RFC 1918'],
  ['100.64.0.0/10', 'shared', 'Shared Address Space (carrier-grade NAT)', 'RFC 6598'],
  ['127.0.0.0/8', 'loopback', 'Loopback', 'RFC 1122'],
  ['169.254.0.0/16', 'link-local', 'Link Local', 'RFC 3927'],
  ['172.16.0.0/12', 'private', 'Private-Use', 'RFC 1918'],
  ['192.0.0.0/24', 'reserved', 'IETF Protocol Assignments', 'RFC 6890'],
  ['192.0.2.0/24', 'documentation', 'Documentation (TEST-NET-1)', 'RFC 5737'],
  ['192.168.0.0/16', 'private', 'Private-Use', 'RFC 1918'],
  ['198.18.0.0/15', 'benchmarking', 'Benchmarking', 'RFC 2544'],
  ['198.51.100.0/24', 'documentation', 'Documentation (TEST-NET-2)', 'RFC 5737'],
  ['203.0.113.0/24', 'documentation', 'Documentation (TEST-NET-3)', 'RFC 5737'],
  ['224.0.0.0/4', 'multicast', 'Multicast', 'RFC 5771'],
  ['240.0.0.0/4', 'reserved', 'Reserved (and limited broadcast)', 'RFC 1112'],
];

const V6: Row[] = [
  ['::/128', 'unspecified', 'Unspecified Address', 'RFC 4291'],
  ['::1/128', 'loopback', 'Loopback Address', 'RFC 4291'],
  ['100::/64', 'reserved', 'Discard-Only Address Block', 'RFC 6666'],
  ['2001:2::/48', 'benchmarking', 'Benchmarking', 'RFC 5180'],
  ['2001:db8::/32', 'documentation', 'Documentation', 'RFC 3849'],
  ['3fff::/20', 'documentation', 'Documentation', 'RFC 9637'],
  ['fc00::/7', 'unique-local', 'Unique-Local', 'RFC 4193'],
  ['fe80::/10', 'link-local', 'Link-Local Unicast', 'RFC 4291'],
  ['ff00::/8', 'multicast', 'Multicast', 'RFC 4291'],
];

interface V4Block {
  start: number;
  end: number;
  info: SpecialRange;
}
interface V6Block {
  net: [number, number, number, number];
  bits: number;
  info: SpecialRange;
}

const info = (r: Row): SpecialRange => ({ kind: r[1], name: r[2], rfc: r[3] });

function v4Blocks(): V4Block[] {
  return V4.map((r) => {
    const [net, len] = r[0].split('/') as [string, string];
    const start = ipv4ToNumber(net)!;
    const size = 2 ** (32 - Number(len));
    return { start, end: start + size - 1, info: info(r) };
  });
}

function v6Blocks(): V6Block[] {
  return V6.map((r) => {
    const [net, len] = r[0].split('/') as [string, string];
    return { net: ipv6ToWords(net)!, bits: Number(len), info: info(r) };
  });
}

function v6InBlock(w: readonly number[], b: V6Block): boolean {
  let bits = b.bits;
  for (let i = 0; i < 4 && bits > 0; i++) {
    const take = Math.min(32, bits);
    const mask = take === 32 ? 0xffffffff : (0xffffffff << (32 - take)) >>> 0;
    if (((w[i]! & mask) >>> 0) !== ((b.net[i]! & mask) >>> 0)) return false;
    bits -= take;
  }
  return true;
}

/** Classifies addresses that answer "as such": built once, a few comparisons per lookup. */
export class SpecialAddresses {
  private readonly v4 = v4Blocks();
  private readonly v6 = v6Blocks();

  classify(ip: IpNumber): SpecialRange | undefined {
    if (ip.family === 4) return this.v4.find((b) => ip.value >= b.start && ip.value <= b.end)?.info;
    return this.v6.find((b) => v6InBlock(ip.words, b))?.info;
  }
}
