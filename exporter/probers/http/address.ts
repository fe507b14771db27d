import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { abortable } from './abort.js';

export type IpFamily = 4 | 6;

export interface ChosenAddress {
  address: string;
  family: IpFamily;
  lookupSeconds: number;
}

/**
 * blackbox's chooseProtocol: with fallback, resolve every family and take the preferred one if
 * present, else the other; without it, only the preferred family is acceptable.
 */
export async function chooseAddress(
  host: string,
  preferred: 'ip4' | 'ip6',
  fallback: boolean,
  signal: AbortSignal,
): Promise<ChosenAddress> {
  const started = performance.now();
  const want: IpFamily = preferred === 'ip4' ? 4 : 6;
  const literal = isIP(host);
  let candidates: { address: string; family: IpFamily }[];
  if (literal !== 0) candidates = [{ address: host, family: literal as IpFamily }];
  else {
    const found = await abortable(lookup(host, { all: true, verbatim: true }), signal);
    candidates = found.map((a) => ({ address: a.address, family: a.family as IpFamily }));
  }
  const lookupSeconds = (performance.now() - started) / 1000;
  const pick = pickAddress(candidates, want, fallback);
  if (!pick) {
    const what = fallback ? 'no address' : `no IPv${want} address`;
    throw new Error(`${what} found`);
  }
  return { ...pick, lookupSeconds };
}

export function pickAddress<T extends { family: IpFamily }>(candidates: T[], want: IpFamily, fallback: boolean): T | undefined {
  return candidates.find((c) => c.family === want) ?? (fallback ? candidates[0] : undefined);
}

/** blackbox's probe_ip_addr_hash: FNV-1a (32 bit) over the address's 4 or 16 bytes. */
export function ipHash(address: string): number {
  let h = 0x811c9dc5;
  for (const b of ipBytes(address)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** An address's bytes as Go's net.IP holds them; IPv4-mapped IPv6 shrinks to 4 bytes like To4(). */
export function ipBytes(address: string): number[] {
  const ip = address.replace(/%.*$/, '');
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  const [headText, tailText] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const parse = (part: string | undefined): number[] => {
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
  };
  const head = parse(headText);
  const tail = parse(tailText);
  const bytes = [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail];
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}
