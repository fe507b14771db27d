import type { Row } from '../measurement.js';
import type { AsnSummary } from './types.js';

/** The network of an address, or undefined (private, unknown, lookup failed). */
export type NetworkOf = (ip: string) => Promise<AsnSummary | undefined>;

interface HopLike {
  ip?: unknown;
  asn?: string;
  as_name?: string;
  /** The path enters another AS at this hop (its ASN differs from the last hop with a known one). */
  as_boundary?: boolean;
}

type Net = { asn: string; as_name: string };

/** Every address a result names: mtr hops, and the connected address of http, tcp, icmp, mtr and dns. */
function addressesOf(details: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '' && v !== '???') out.add(v);
  };
  add(details.ip);
  add(details.address);
  const resolver = details.resolver as { ip?: unknown } | undefined;
  if (resolver && typeof resolver === 'object') add(resolver.ip);
  if (Array.isArray(details.hops)) for (const h of details.hops as HopLike[]) add(h?.ip);
  return [...out];
}

/**
 * Marks each mtr hop with its AS and where the path crosses into the next one, and the connected
 * address with its AS. Pure: the networks come looked up already.
 */
export function annotate(details: Record<string, unknown>, nets: ReadonlyMap<string, Net>): Record<string, unknown> {
  const out = { ...details };
  const set = (o: Record<string, unknown>, ip: unknown) => {
    const n = typeof ip === 'string' ? nets.get(ip) : undefined;
    if (n) Object.assign(o, n);
  };
  if (typeof details.ip === 'string') set(out, details.ip);
  else if (typeof details.address === 'string') set(out, details.address);
  if (details.resolver && typeof details.resolver === 'object') {
    const r = { ...(details.resolver as Record<string, unknown>) };
    set(r, r.ip);
    out.resolver = r;
  }
  if (Array.isArray(details.hops)) {
    let previous: string | undefined;
    out.hops = (details.hops as HopLike[]).map((h) => {
      const hop: HopLike = { ...h };
      const n = typeof h.ip === 'string' ? nets.get(h.ip) : undefined;
      if (n) {
        hop.asn = n.asn;
        hop.as_name = n.as_name;
        hop.as_boundary = previous !== undefined && previous !== n.asn;
        previous = n.asn;
      }
      return hop;
    });
  }
  return out;
}

/**
 * Adds ASNs to a row's result, waiting at most `maxMs` (the first lookup may load the offline
 * table): a row is never held back long or lost because a source is slow or broken.
 */
export function rowEnricher(networkOf: NetworkOf, maxMs = 5000): (row: Row) => Promise<Row> {
  return async (row) => {
    const details = row.result?.details;
    if (!row.result || !details) return row;
    const ips = addressesOf(details);
    if (ips.length === 0) return row;
    const lookups = Promise.all(ips.map(async (ip) => [ip, await networkOf(ip).catch(() => undefined)] as const));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), maxMs);
      timer.unref();
    });
    const found = await Promise.race([lookups, late]);
    clearTimeout(timer);
    if (!found) return row;
    const nets = new Map<string, Net>();
    for (const [ip, s] of found) if (s) nets.set(ip, { asn: s.asn, as_name: s.name });
    if (nets.size === 0) return row;
    return { ...row, result: { ...row.result, details: annotate(details, nets) } };
  };
}
