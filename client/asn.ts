/**
 * Tolerant reader for the autonomous system of an address, as the hub may attach it to a row's
 * details (`asn` on the result, on `connected_to`, or on an mtr hop). Absent means unknown: every
 * view works without it and only gains a boundary or a key part when it is there.
 */

export interface Asn {
  number: number;
  name?: string;
}

function fromValue(v: unknown): Asn | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return { number: v };
  if (typeof v === 'string') {
    const m = /^(?:AS)?(\d{1,10})$/i.exec(v.trim());
    return m ? { number: Number(m[1]) } : undefined;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const inner = fromValue(o.number ?? o.asn ?? o.as);
    if (!inner) return undefined;
    const name = o.name ?? o.org ?? o.holder;
    return typeof name === 'string' && name !== '' ? { number: inner.number, name } : inner;
  }
  return undefined;
}

/** The ASN in an object that may carry `asn` (number, "AS64500", or {number, name}) and `as_name`. */
export function asnOf(o: unknown): Asn | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  const a = fromValue(r.asn);
  if (!a) return undefined;
  const name = r.as_name ?? r.asn_name;
  return a.name === undefined && typeof name === 'string' && name !== '' ? { ...a, name } : a;
}

/** The ASN of the address a row's probe connected to, when the hub knows it. */
export function connectedAsn(details: Record<string, unknown> | undefined): Asn | undefined {
  if (!details) return undefined;
  return asnOf(details) ?? asnOf(details.connected_to) ?? asnOf(details.connection);
}

export function asnText(a: Asn): string {
  return a.name ? `AS${a.number} ${a.name}` : `AS${a.number}`;
}
