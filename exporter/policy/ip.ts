import { BlockList, isIP } from 'node:net';

/** An IPv6 address as 8 groups; undefined when it is not one. Handles `::` and a dotted tail. */
export function ipv6Groups(address: string): number[] | undefined {
  let a = address.replace(/%.*$/, '').toLowerCase();
  if (isIP(a) !== 6) return undefined;
  // A dotted tail (::ffff:1.2.3.4) as the two groups it stands for (::ffff:102:304).
  a = a.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, x, y, z, w) => `${((+x << 8) | +y).toString(16)}:${((+z << 8) | +w).toString(16)}`);
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((p) => Number.parseInt(p, 16)));
  const gap = a.indexOf('::');
  if (gap < 0) return parse(a);
  const l = parse(a.slice(0, gap));
  const r = parse(a.slice(gap + 2));
  return [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
}

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96). Such an address reaches the IPv4 host.
 */
export function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const v4 = () => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(5) && g[5] === 0xffff) return v4();
  if (zeros(6) && (g[6] !== 0 || g[7]! > 1)) return v4();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4();
  return undefined;
}

/**
 * A host as the network sees it: IPv4 literals in any spelling inet_aton takes (decimal
 * 2852039166, hex 0xA9FEA9FE, octal 0251.0376.0251.0376, short 169.254.43518) become dotted quads,
 * IPv6 loses brackets and zone; names are lower-cased without a trailing dot.
 */
export function canonicalHost(host: string): string {
  // A dotted quad node:net accepts has no leading zeros or other spellings: already canonical.
  // The common case on every probe, and the URL parse below is the expensive part.
  if (isIP(host) === 4) return host;
  const h = host.trim().replace(/^\[|\]$/g, '');
  if (isIP(h.replace(/%.*$/, '')) === 6) return h.replace(/%.*$/, '').toLowerCase();
  try {
    // The WHATWG URL parser applies the IPv4 number rules browsers and getaddrinfo share.
    const parsed = new URL(`http://${h}/`).hostname;
    if (isIP(parsed) === 4) return parsed;
  } catch {
    // Not a valid host: left for the prober to refuse as it does.
  }
  return h.toLowerCase().replace(/\.$/, '');
}

/**
 * A BlockList of CIDRs (or single addresses); throws naming the bad entry. The family is read from
 * the text (a colon means IPv6) and BlockList itself refuses what is not an address: node's
 * isIPv6 compiles a very large regular expression on its first call (about 10 ms), which every
 * start-up would pay here for the built-in IPv6 entries.
 */
export function cidrList(entries: readonly string[], what: string): BlockList {
  const list = new BlockList();
  for (const e of entries) {
    const [addr = '', bits, extra] = e.split('/');
    const type = addr.includes(':') ? 'ipv6' : 'ipv4';
    const max = type === 'ipv4' ? 32 : 128;
    if (extra !== undefined || addr === '') throw new Error(`${what}: "${e}" is not an address or CIDR`);
    if (bits !== undefined && (!/^[0-9]+$/.test(bits) || Number(bits) > max)) throw new Error(`${what}: "${e}" has a bad prefix length`);
    try {
      if (bits === undefined) list.addAddress(addr, type);
      else list.addSubnet(addr, Number(bits), type);
    } catch {
      throw new Error(`${what}: "${e}" is not an address or CIDR`);
    }
  }
  return list;
}

/**
 * Whether `address` is in `list`. BlockList.check parses the address into a SocketAddress on every
 * call (12 µs even for an empty list, measured); a policy asks about the same few targets on every
 * scrape, so the answers are kept per list (lists never change once built), at most MEMO_SIZE each.
 */
export function inList(list: BlockList, address: string): boolean {
  let memo = answers.get(list);
  if (!memo) {
    memo = new Map();
    answers.set(list, memo);
  }
  let hit = memo.get(address);
  if (hit === undefined) {
    const family = isIP(address);
    hit = family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(address, hit);
  }
  return hit;
}

const MEMO_SIZE = 4096;
const answers = new WeakMap<BlockList, Map<string, boolean>>();
