/**
 * Reader for the autonomous system the hub attaches to a row's details (hub/asn/enrich.ts):
 * `asn` ("AS3320" or "3320") and `as_name` on the details themselves (the address probed), on a
 * dns result's `resolver`, and on each mtr hop. Absent means unknown: every view works without
 * it and only gains a boundary or a key part when it is there.
 */

export interface Asn {
  number: number;
  name?: string;
}

function fromValue(v: unknown): Asn | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return { number: v };
  if (typeof v !== 'string') return undefined;
  const m = /^(?:AS)?(\d{1,10})$/i.exec(v.trim());
  return m ? { number: Number(m[1]) } : undefined;
}

/** The ASN of an object the hub marked with `asn` ("AS64500") and `as_name`. */
export function asnOf(o: unknown): Asn | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const r = o as Record<string, unknown>;
  const a = fromValue(r.asn);
  if (!a) return undefined;
  return typeof r.as_name === 'string' && r.as_name !== '' ? { ...a, name: r.as_name } : a;
}

/** The ASN of the address a row's probe connected to, when the hub knows it. */
export function connectedAsn(details: Record<string, unknown> | undefined): Asn | undefined {
  if (!details) return undefined;
  // The address probed (http, tcp, icmp, mtr), else the resolver a dns probe asked.
  return asnOf(details) ?? asnOf(details.resolver);
}

export function asnText(a: Asn): string {
  return a.name ? `AS${a.number} ${a.name}` : `AS${a.number}`;
}
