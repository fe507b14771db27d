import { ipv4ToNumber, ipv6ToWords } from './ip.js';
import type { AsnRangeIndexBuilder } from './range-index.js';

/**
 * ip-location-db's ASN CSV: `start,end,asn,organisation` per line, inclusive ranges, the
 * organisation quoted (with "" for a quote) when it holds a comma. Start and end are dotted quads,
 * IPv6 text, or (the -num files) decimal numbers for IPv4. Bad lines are counted, not fatal: one
 * odd row must not take the whole table away.
 */
export function addCsv(builder: AsnRangeIndexBuilder, text: string, family: 4 | 6): { rows: number; bad: number } {
  let rows = 0;
  let bad = 0;
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.charCodeAt(nl - 1) === 13 ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    if (line === '') continue;
    if (addLine(builder, line, family)) rows++;
    else bad++;
  }
  return { rows, bad };
}

function addLine(builder: AsnRangeIndexBuilder, line: string, family: 4 | 6): boolean {
  const c1 = line.indexOf(',');
  const c2 = line.indexOf(',', c1 + 1);
  const c3 = line.indexOf(',', c2 + 1);
  if (c1 < 0 || c2 < 0 || c3 < 0) return false;
  const asn = Number(line.slice(c2 + 1, c3));
  if (!Number.isInteger(asn) || asn < 0 || asn > 0xffffffff) return false;
  const name = unquote(line.slice(c3 + 1));
  const a = line.slice(0, c1);
  const b = line.slice(c1 + 1, c2);
  if (family === 4) {
    const start = v4(a);
    const end = v4(b);
    if (start === undefined || end === undefined || end < start) return false;
    builder.addV4(start, end, asn, name);
    return true;
  }
  const start = ipv6ToWords(a);
  const end = ipv6ToWords(b);
  if (!start || !end) return false;
  builder.addV6(start, end, asn, name);
  return true;
}

function v4(s: string): number | undefined {
  if (s.includes('.')) return ipv4ToNumber(s);
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : undefined;
}

function unquote(s: string): string {
  if (!s.startsWith('"')) return s;
  return s.slice(1, s.endsWith('"') ? -1 : undefined).replaceAll('""', '"');
}
