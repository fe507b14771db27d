import type { Hop } from './details.js';

/**
 * The ASes an mtr path crosses, in order, each once per stretch: "AS64500 › AS3320 › AS15169".
 * Hops without a known AS (private, silent) do not break a stretch.
 */
export function asPath(hops: readonly Hop[]): string {
  const out: string[] = [];
  for (const h of hops) if (h.asn && out[out.length - 1] !== h.asn) out.push(h.asn);
  return out.join(' › ');
}

/** A hop's AS cell: the ASN and name, with a mark where the path enters a new AS. */
export function hopAs(h: Hop): string {
  if (!h.asn) return '';
  const text = h.as_name ? `${h.asn} ${h.as_name}` : h.asn;
  return h.as_boundary ? `→ ${text}` : text;
}
