import type { AsnDbEntry, AsnDbInput } from './asndb-schema.js';
import type { AsnDbStore } from './asndb-store.js';
import { formatAsn } from './types.js';

/** The operator's names and notes for networks: kept in memory, saved through the store on change. */
export class AsnDb {
  private readonly entries = new Map<number, AsnDbEntry>();

  constructor(
    private readonly store: AsnDbStore,
    private readonly now: () => number = Date.now,
  ) {}

  async init(): Promise<void> {
    for (const e of await this.store.load()) this.entries.set(Number(e.asn.replace(/^AS/i, '')), e);
  }

  list(): AsnDbEntry[] {
    return [...this.entries.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  }

  get(asn: number): AsnDbEntry | undefined {
    return this.entries.get(asn);
  }

  /** Creates or replaces; true when the entry is new. */
  async put(asn: number, input: AsnDbInput): Promise<{ entry: AsnDbEntry; created: boolean }> {
    const created = !this.entries.has(asn);
    const entry: AsnDbEntry = { asn: formatAsn(asn), name: input.name, notes: input.notes ?? '', updated: new Date(this.now()).toISOString() };
    this.entries.set(asn, entry);
    await this.store.save(this.list());
    return { entry, created };
  }

  async remove(asn: number): Promise<boolean> {
    if (!this.entries.delete(asn)) return false;
    await this.store.save(this.list());
    return true;
  }
}
