import type { IpNumber } from './ip.js';
import type { LazyOfflineIndex } from './offline.js';
import type { AsnSource, Found } from './types.js';

/** The table shipped in the npm data package, loaded on the first lookup. */
export class OfflineSource implements AsnSource {
  readonly name = 'offline';

  constructor(private readonly table: LazyOfflineIndex) {}

  async lookupIp(ip: IpNumber): Promise<Found | undefined> {
    const loaded = this.table.ready ?? (await this.table.get());
    return loaded.index.lookup(ip);
  }

  async lookupAsn(asn: number): Promise<string | undefined> {
    return (await this.table.get()).index.nameOf(asn);
  }
}
