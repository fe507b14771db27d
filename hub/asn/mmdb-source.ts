import { readFile } from 'node:fs/promises';
import { Reader, type Response } from 'maxmind';
import type { IpNumber } from './ip.js';
import type { AsnSource, Found } from './types.js';

/** The two record shapes in use: MaxMind GeoLite2-ASN and ipinfo's ASN database. */
interface AsnRecord {
  autonomous_system_number?: number;
  autonomous_system_organization?: string;
  asn?: string | number;
  name?: string;
  as_name?: string;
}

/** Reads an ASN from either shape; undefined when the record has none. */
export function asnFromRecord(r: AsnRecord | null | undefined): Found | undefined {
  if (!r) return undefined;
  if (typeof r.autonomous_system_number === 'number') return { asn: r.autonomous_system_number, name: r.autonomous_system_organization ?? '' };
  const raw = typeof r.asn === 'number' ? String(r.asn) : r.asn;
  const m = raw ? /^(?:AS)?([0-9]{1,10})$/i.exec(raw) : null;
  if (m) return { asn: Number(m[1]), name: r.name ?? r.as_name ?? '' };
  return undefined;
}

/** A MaxMind-format file the operator points at, read once on first use with the `maxmind` reader. */
export class MmdbSource implements AsnSource {
  private reader: Promise<Reader<Response>> | undefined;

  constructor(
    readonly name: string,
    private readonly file: string,
  ) {}

  async lookupIp(_ip: IpNumber, text: string): Promise<Found | undefined> {
    const reader = await this.open();
    // The reader's types name MaxMind's own databases only; ipinfo's records differ.
    return asnFromRecord(reader.get(text) as AsnRecord | null);
  }

  private open(): Promise<Reader<Response>> {
    if (!this.reader) {
      this.reader = readFile(this.file).then(
        (buf) => {
          try {
            return new Reader<Response>(buf);
          } catch (err) {
            throw new Error(`${this.file} is not a MaxMind DB file: ${(err as Error).message}`);
          }
        },
        (err: Error) => {
          throw new Error(`cannot read ${this.file}: ${err.message}`);
        },
      );
      // Not remembered when it failed: the operator may fix the file without restarting the hub.
      this.reader.catch(() => {
        this.reader = undefined;
      });
    }
    return this.reader;
  }
}
