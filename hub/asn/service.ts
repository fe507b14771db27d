import { PulseError } from '../../lib/errors.js';
import type { AsnDb } from './asndb.js';
import { type IpNumber, parseIp } from './ip.js';
import { SpecialAddresses, type SpecialRange } from './special.js';
import { type AsnLookup, type AsnSource, type AsnSummary, formatAsn, type IpLookup, type SourceAnswer } from './types.js';

const ASNDB = 'asndb';

const answer = (asn: number | undefined, name: string, err: string): SourceAnswer => ({ asn: asn === undefined ? '' : formatAsn(asn), name, err });

/** Parses a user's address (400 when it is not one); brackets and zones are refused, not guessed at. */
export function parseUserIp(raw: string): IpNumber {
  const ip = parseIp(raw);
  if (!ip) throw new PulseError('PULSE_BAD_REQUEST', `${JSON.stringify(raw.slice(0, 64))} is not an IP address`);
  return ip;
}

export function specialReason(s: SpecialRange): string {
  return `${s.kind} address (${s.name}, ${s.rfc}): not routed on the internet, so it has no ASN`;
}

/**
 * Every source asked at once, each answering for itself: one that fails or times out fills in its
 * `err` and the others still answer. The operator's asndb names the ASN the others found.
 */
export class AsnService {
  private readonly special = new SpecialAddresses();

  constructor(
    /** In order of trust for the summary's ASN: mmdb files, the offline table, Cymru. */
    readonly sources: readonly AsnSource[],
    readonly asndb: AsnDb,
  ) {}

  async lookupIp(text: string): Promise<IpLookup> {
    const ip = parseUserIp(text);
    const special = this.special.classify(ip);
    const result: Record<string, SourceAnswer> = {};
    if (special) {
      const err = specialReason(special);
      for (const s of this.sources) result[s.name] = answer(undefined, '', err);
      result[ASNDB] = answer(undefined, '', err);
      return { ip: text, result, special };
    }
    const answers = await Promise.all(
      this.sources.map(async (s): Promise<SourceAnswer> => {
        try {
          const found = await s.lookupIp(ip, text);
          return found ? answer(found.asn, found.name, '') : answer(undefined, '', 'ASN not found');
        } catch (err) {
          return answer(undefined, '', (err as Error).message);
        }
      }),
    );
    this.sources.forEach((s, i) => {
      result[s.name] = answers[i]!;
    });
    const summary = this.summarise(result);
    const own = summary ? this.asndb.get(Number(summary.asn.slice(2))) : undefined;
    result[ASNDB] = own ? answer(Number(summary!.asn.slice(2)), own.name, '') : { asn: summary?.asn ?? '', name: '', err: 'ASN not found' };
    return summary ? { ip: text, result, summary } : { ip: text, result };
  }

  /** The summary alone (hops, agents): undefined for special addresses and when no source knows. */
  async summaryOf(text: string): Promise<AsnSummary | undefined> {
    if (!parseIp(text)) return undefined;
    return (await this.lookupIp(text)).summary;
  }

  async lookupAsn(asn: number): Promise<AsnLookup> {
    const result: Record<string, SourceAnswer> = {};
    const named = this.sources.filter((s) => s.lookupAsn);
    const names = await Promise.all(
      named.map(async (s): Promise<SourceAnswer> => {
        try {
          const name = await s.lookupAsn!(asn);
          return name === undefined ? answer(asn, '', 'ASN not found') : answer(asn, name, '');
        } catch (err) {
          return answer(asn, '', (err as Error).message);
        }
      }),
    );
    named.forEach((s, i) => {
      result[s.name] = names[i]!;
    });
    const own = this.asndb.get(asn);
    result[ASNDB] = own ? answer(asn, own.name, '') : answer(asn, '', 'ASN not found');
    return { asn: formatAsn(asn), result };
  }

  private summarise(result: Record<string, SourceAnswer>): AsnSummary | undefined {
    const first = this.sources.find((s) => result[s.name]?.asn);
    if (!first) return undefined;
    const asn = result[first.name]!.asn;
    const own = this.asndb.get(Number(asn.slice(2)));
    // A name for the same ASN from any source beats none; the operator's own beats all.
    const name = own?.name || result[first.name]!.name || this.sources.map((s) => result[s.name]!).find((a) => a.asn === asn && a.name)?.name || '';
    return { asn, name, source: first.name };
  }
}
