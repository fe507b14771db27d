import type { IpNumber } from './ip.js';

export interface AsnHit {
  asn: number;
  /** The organisation the table names for this ASN; '' when it has none. */
  name: string;
}

/**
 * Address ranges → ASN, as sorted typed arrays searched by bisection: about 12 bytes per IPv4
 * range and 36 per IPv6 range, no object per row, so the whole table (≈ 500k ranges) costs a few
 * megabytes and a lookup is ~20 comparisons.
 */
export class AsnRangeIndex {
  constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Asn: Uint32Array,
    /** Four words per range, most significant first. */
    private readonly v6Start: Uint32Array,
    private readonly v6End: Uint32Array,
    private readonly v6Asn: Uint32Array,
    private readonly names: ReadonlyMap<number, string>,
  ) {
    this.v4First = firstByPrefix(v4Start);
  }

  /**
   * For each 16-bit prefix p, how many IPv4 ranges start below p·2¹⁶ (65,537 entries, 256 KB):
   * it narrows the bisection to the few ranges near the address, about 3 steps instead of 19.
   */
  private readonly v4First: Uint32Array;

  get size(): { v4: number; v6: number; asns: number } {
    return { v4: this.v4Asn.length, v6: this.v6Asn.length, asns: this.names.size };
  }

  /** Bytes held by the typed arrays (the names map comes on top). */
  get arrayBytes(): number {
    return [this.v4First, this.v4Start, this.v4End, this.v4Asn, this.v6Start, this.v6End, this.v6Asn].reduce((n, a) => n + a.byteLength, 0);
  }

  lookup(ip: IpNumber): AsnHit | undefined {
    const asn = ip.family === 4 ? this.lookupV4(ip.value) : this.lookupV6(ip.words);
    return asn === undefined ? undefined : { asn, name: this.names.get(asn) ?? '' };
  }

  /** The name the table gives an ASN, if the ASN announces any range in it. */
  nameOf(asn: number): string | undefined {
    return this.names.get(asn);
  }

  lookupV4(value: number): number | undefined {
    const starts = this.v4Start;
    const p = value >>> 16;
    // The last range starting at or below value is at least the last one below this prefix.
    let found = this.v4First[p]! - 1;
    let lo = found + 1;
    let hi = this.v4First[p + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && value <= this.v4End[found]! ? this.v4Asn[found] : undefined;
  }

  lookupV6(w: readonly number[]): number | undefined {
    let lo = 0;
    let hi = this.v6Asn.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare6(this.v6Start, mid, w) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compare6(this.v6End, found, w) >= 0 ? this.v6Asn[found] : undefined;
  }
}

function firstByPrefix(starts: Uint32Array): Uint32Array {
  const first = new Uint32Array(65537);
  let i = 0;
  for (let p = 0; p <= 65536; p++) {
    const bound = p * 65536;
    while (i < starts.length && starts[i]! < bound) i++;
    first[p] = i;
  }
  return first;
}

/** Sign of (range boundary i) − w. */
function compare6(arr: Uint32Array, i: number, w: readonly number[]): number {
  const base = i * 4;
  for (let k = 0; k < 4; k++) {
    const d = arr[base + k]! - w[k]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** A growable typed array, so rows can be added without knowing the count first. */
class Grow {
  arr: Uint32Array;
  length = 0;
  constructor(initial: number) {
    this.arr = new Uint32Array(initial);
  }
  push(v: number): void {
    if (this.length === this.arr.length) {
      const next = new Uint32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.length++] = v;
  }
  done(): Uint32Array {
    return this.arr.slice(0, this.length);
  }
}

/** Collects rows (in any order) and builds the index; overlapping ranges keep the later start. */
export class AsnRangeIndexBuilder {
  private readonly v4: [Grow, Grow, Grow] = [new Grow(1024), new Grow(1024), new Grow(1024)];
  private readonly v6: [Grow, Grow, Grow] = [new Grow(4096), new Grow(4096), new Grow(1024)];
  private readonly names = new Map<number, string>();

  addV4(start: number, end: number, asn: number, name: string): void {
    this.v4[0].push(start);
    this.v4[1].push(end);
    this.v4[2].push(asn);
    this.name(asn, name);
  }

  addV6(start: readonly number[], end: readonly number[], asn: number, name: string): void {
    for (const w of start) this.v6[0].push(w);
    for (const w of end) this.v6[1].push(w);
    this.v6[2].push(asn);
    this.name(asn, name);
  }

  private name(asn: number, name: string): void {
    // A copy, not a slice: V8 would keep the whole CSV text alive behind a sliced string.
    if (name && !this.names.has(asn)) this.names.set(asn, Buffer.from(name, 'utf8').toString('utf8'));
  }

  build(): AsnRangeIndex {
    const [s4, e4, a4] = sortedV4(this.v4[0].done(), this.v4[1].done(), this.v4[2].done());
    const [s6, e6, a6] = sortedV6(this.v6[0].done(), this.v6[1].done(), this.v6[2].done());
    return new AsnRangeIndex(s4, e4, a4, s6, e6, a6, this.names);
  }
}

function isSorted(n: number, less: (i: number, j: number) => boolean): boolean {
  for (let i = 1; i < n; i++) if (less(i, i - 1)) return false;
  return true;
}

// The shipped tables are sorted already; sorting is for hand-made fixtures and future files.
function sortedV4(s: Uint32Array, e: Uint32Array, a: Uint32Array): [Uint32Array, Uint32Array, Uint32Array] {
  if (isSorted(a.length, (i, j) => s[i]! < s[j]!)) return [s, e, a];
  const order = Array.from({ length: a.length }, (_, i) => i).sort((i, j) => s[i]! - s[j]!);
  return [Uint32Array.from(order, (i) => s[i]!), Uint32Array.from(order, (i) => e[i]!), Uint32Array.from(order, (i) => a[i]!)];
}

function sortedV6(s: Uint32Array, e: Uint32Array, a: Uint32Array): [Uint32Array, Uint32Array, Uint32Array] {
  const cmp = (i: number, j: number) => compare6(s, i, Array.from(s.subarray(j * 4, j * 4 + 4)));
  if (isSorted(a.length, (i, j) => cmp(i, j) < 0)) return [s, e, a];
  const order = Array.from({ length: a.length }, (_, i) => i).sort(cmp);
  const pick = (src: Uint32Array) => {
    const out = new Uint32Array(src.length);
    order.forEach((from, to) => {
      out.set(src.subarray(from * 4, from * 4 + 4), to * 4);
    });
    return out;
  };
  return [pick(s), pick(e), Uint32Array.from(order, (i) => a[i]!)];
}
