import { lookup as systemLookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export type IpFamily = 4 | 6;

export interface LookupAddress {
  address: string;
  family: number;
}

/** The system resolver (getaddrinfo, so /etc/hosts counts), as blackbox's Go resolver uses it. */
export type Lookup = (host: string, family: 0 | IpFamily) => Promise<LookupAddress[]>;

export const defaultLookup: Lookup = (host, family) => systemLookup(host, { all: true, family, order: 'verbatim' });

export interface Resolved {
  address: string;
  family: IpFamily;
  lookupSeconds: number;
}

export class ResolveError extends Error {
  constructor(
    message: string,
    readonly lookupSeconds: number,
  ) {
    super(message);
    this.name = 'ResolveError';
  }
}

/**
 * blackbox_exporter's chooseProtocol: the preferred family's first address, else (with fallback)
 * an address of the other family. IP literals resolve to themselves without a lookup. With no
 * preference (0), the resolver's first answer, as mtr and ping themselves would pick.
 */
export async function chooseAddress(
  host: string,
  preferred: IpFamily | 0,
  fallback: boolean,
  signal: AbortSignal,
  lookup: Lookup = defaultLookup,
): Promise<Resolved> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const literal = isIP(stripZone(host));
  if (literal !== 0) {
    const family = literal as IpFamily;
    if (preferred !== 0 && family !== preferred && !fallback) {
      throw new ResolveError(`${host} is an IPv${family} address but the module allows only IPv${preferred}`, elapsed());
    }
    return { address: host, family, lookupSeconds: elapsed() };
  }
  let found: LookupAddress[];
  try {
    found = await abortable(lookup(host, fallback ? 0 : preferred), signal);
  } catch (err) {
    throw new ResolveError(`cannot resolve ${host}: ${describeLookupError(err)}`, elapsed());
  }
  const pick =
    preferred === 0
      ? found[0]
      : (found.find((a) => a.family === preferred) ?? (fallback ? found.find((a) => a.family !== preferred) : undefined));
  if (!pick) throw new ResolveError(`cannot resolve ${host}: no ${preferred === 0 ? 'IP' : `IPv${preferred}`} address`, elapsed());
  return { address: pick.address, family: pick.family === 6 ? 6 : 4, lookupSeconds: elapsed() };
}

/** blackbox's probe_ip_addr_hash: FNV-1a 32 over the address bytes (4 for IPv4, 16 for IPv6). */
export function ipHash(address: string): number {
  let h = 0x811c9dc5;
  for (const b of ipBytes(address)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function ipBytes(address: string): number[] {
  const ip = stripZone(address);
  if (isIP(ip) === 4) return ip.split('.').map(Number);
  if (isIP(ip) !== 6) throw new Error(`not an IP address: ${address}`);
  let text = ip;
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let tail: number[] = [];
  if (v4tail) {
    tail = v4tail[1]!.split('.').map(Number);
    text = text.slice(0, -v4tail[1]!.length);
    text = text.endsWith('::') ? text : text.replace(/:$/, '');
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g !== '') : []);
  const left = groups(head);
  const right = groups(rest);
  const missing = 8 - tail.length / 2 - left.length - right.length;
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  const bytes: number[] = [];
  for (const g of all) {
    const n = Number.parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  return [...bytes, ...tail];
}

function stripZone(address: string): string {
  const i = address.indexOf('%');
  return i < 0 ? address : address.slice(0, i);
}

function describeLookupError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOTFOUND') return 'no such host';
  if (e.name === 'AbortError') return 'timed out';
  return e.code ? `${e.code} (${e.message})` : e.message;
}

/** getaddrinfo cannot be cancelled; stop waiting for it when the probe's time is up. */
function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}
