import { Resolver } from 'node:dns/promises';
import { asnQueryName, originQueryName, parseAsName, parseOrigin } from './cymru.js';
import type { IpNumber } from './ip.js';
import { TtlCache } from './ttl-cache.js';
import type { AsnSource, Found } from './types.js';

export interface CymruOptions {
  /** `system` (the hub's resolv.conf) or `host:port` of the resolver to ask. */
  resolver: string;
  timeoutMs: number;
}

/** "No such record" from a resolver: the address or ASN is not in Cymru's data. */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Team Cymru over DNS, through the configured resolver only. Answers (and "not found") are
 * cached for an hour: mtr hops repeat across agents, and Cymru asks that clients cache.
 */
export class CymruSource implements AsnSource {
  readonly name = 'cymru';
  private readonly resolver: Resolver;
  private readonly cache = new TtlCache<string[][] | null>(10_000, 3_600_000);

  constructor(opts: CymruOptions) {
    this.resolver = new Resolver({ timeout: opts.timeoutMs, tries: 1 });
    if (opts.resolver !== 'system') this.resolver.setServers([opts.resolver]);
  }

  async lookupIp(ip: IpNumber): Promise<Found | undefined> {
    const origin = await this.txt(originQueryName(ip));
    if (!origin) return undefined;
    const asn = parseOrigin(origin);
    return { asn, name: (await this.lookupAsn(asn)) ?? '' };
  }

  async lookupAsn(asn: number): Promise<string | undefined> {
    const records = await this.txt(asnQueryName(asn));
    return records ? parseAsName(records) : undefined;
  }

  private async txt(name: string): Promise<string[][] | undefined> {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached ?? undefined;
    try {
      const records = await this.resolver.resolveTxt(name);
      this.cache.set(name, records);
      return records;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (ABSENT.has(code)) {
        this.cache.set(name, null);
        return undefined;
      }
      throw new Error(`DNS ${code || 'error'} asking ${name}`);
    }
  }
}
