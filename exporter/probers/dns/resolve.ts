import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type IpPreference = 'ip4' | 'ip6';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * blackbox_exporter's chooseProtocol: take an address of the preferred family; with fallback,
 * any address (the last of the other family, as blackbox picks it) when the preferred is absent.
 * getaddrinfo (dns.lookup) reads /etc/hosts like Go's resolver; it cannot be cancelled, so the
 * caller's signal is raced against it.
 */
export async function chooseAddress(
  host: string,
  preferred: IpPreference,
  fallback: boolean,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const want = preferred === 'ip6' ? 6 : 4;
  const literal = isIP(host);
  let candidates: ResolvedAddress[];
  if (literal !== 0) candidates = [{ address: host, family: literal as 4 | 6 }];
  else {
    const found = await abortable(lookup(host, { all: true, order: 'verbatim', ...(fallback ? {} : { family: want }) }), signal);
    candidates = found.filter((a) => a.family === 4 || a.family === 6).map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
  }
  const preferredMatch = candidates.find((c) => c.family === want);
  if (preferredMatch) return preferredMatch;
  if (fallback && candidates.length > 0) return candidates[candidates.length - 1]!;
  throw new Error(`no ${preferred} address for "${host}"${fallback ? '' : ' (ip_protocol_fallback is off)'}`);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('timed out resolving the resolver address'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('timed out resolving the resolver address'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(new Error(`resolving the resolver address: ${err.message}`));
      },
    );
  });
}

/** FNV-1a 32 of the address bytes (4 for IPv4, 16 for IPv6): blackbox's probe_ip_addr_hash. */
export function ipHash(address: string): number {
  let hash = 0x811c9dc5;
  for (const b of ipBytes(address)) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function ipBytes(address: string): number[] {
  const zone = address.indexOf('%');
  const ip = zone >= 0 ? address.slice(0, zone) : address;
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let text = ip;
  let tail: number[] = [];
  if (v4) {
    const quad = v4[2]!.split('.').map(Number);
    tail = [(quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!];
    text = `${v4[1]}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').filter((x) => x !== '').map((x) => Number.parseInt(x, 16)) : []);
  const left = parse(head);
  const right = parse(rest);
  const groups = rest === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  if (v4) groups.splice(6, 2, ...tail);
  // An IPv4-mapped IPv6 address hashes as the IPv4 address, like Go's ip.To4().
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff];
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}
