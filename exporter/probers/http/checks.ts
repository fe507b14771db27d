import type { HeaderMatch } from '../../../lib/config/probers/http.js';
import { compileGoRegex } from '../../../lib/regex.js';

/** The validations blackbox applies to a final response, each returning a failure reason or undefined. */

export function statusReason(status: number, valid: readonly number[]): string | undefined {
  if (valid.length > 0) {
    return valid.includes(status) ? undefined : `HTTP status ${status} is not one of valid_status_codes [${valid.join(', ')}]`;
  }
  return status >= 200 && status < 300 ? undefined : `HTTP status ${status}, wanted 2xx`;
}

/** Values of one header, one entry per header line, matched case-insensitively on the name. */
export function headerValues(headers: readonly [string, string][], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

export function headerReason(
  headers: readonly [string, string][],
  failIfMatches: readonly HeaderMatch[],
  failIfNotMatches: readonly HeaderMatch[],
): string | undefined {
  for (const spec of failIfMatches) {
    const values = headerValues(headers, spec.header);
    if (values.length === 0) {
      if (spec.allow_missing) continue;
      return `header ${spec.header} is missing`;
    }
    const re = compileGoRegex(spec.regexp);
    if (values.some((v) => re.test(v))) return `header ${spec.header} matched fail_if_header_matches /${spec.regexp}/`;
  }
  for (const spec of failIfNotMatches) {
    const values = headerValues(headers, spec.header);
    if (values.length === 0) {
      if (spec.allow_missing) continue;
      return `header ${spec.header} is missing`;
    }
    const re = compileGoRegex(spec.regexp);
    if (!values.some((v) => re.test(v))) return `header ${spec.header} did not match fail_if_header_not_matches /${spec.regexp}/`;
  }
  return undefined;
}

export interface BodyMatchSummary {
  checked: boolean;
  /** The regexp that decided the failure, if one did. */
  failed_regexp?: string;
  failed_rule?: 'fail_if_body_matches_regexp' | 'fail_if_body_not_matches_regexp';
  /** Regexps that matched the body (of either list), for the operator's benefit. */
  matched: string[];
}

export function bodyMatch(body: string, failIfMatches: readonly string[], failIfNotMatches: readonly string[]): BodyMatchSummary {
  const summary: BodyMatchSummary = { checked: true, matched: [] };
  for (const src of failIfMatches) {
    if (compileGoRegex(src).test(body)) {
      summary.matched.push(src);
      summary.failed_regexp ??= src;
      summary.failed_rule ??= 'fail_if_body_matches_regexp';
    }
  }
  for (const src of failIfNotMatches) {
    if (compileGoRegex(src).test(body)) summary.matched.push(src);
    else {
      summary.failed_regexp ??= src;
      summary.failed_rule ??= 'fail_if_body_not_matches_regexp';
    }
  }
  return summary;
}

export function bodyReason(s: BodyMatchSummary): string | undefined {
  if (!s.failed_regexp) return undefined;
  return s.failed_rule === 'fail_if_body_matches_regexp'
    ? `body matched fail_if_body_matches_regexp /${s.failed_regexp}/`
    : `body did not match fail_if_body_not_matches_regexp /${s.failed_regexp}/`;
}

export function versionReason(version: string, valid: readonly string[]): string | undefined {
  if (valid.length === 0 || valid.includes(`HTTP/${version}`)) return undefined;
  return `HTTP version HTTP/${version} is not one of valid_http_versions [${valid.join(', ')}]`;
}

/** probe_http_version's value: Go parses "1.1" / "2.0" as a float. */
export function versionNumber(version: string): number {
  const n = Number.parseFloat(version);
  return Number.isFinite(n) ? n : 0;
}

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
// Go's http.ParseTime accepts exactly these three layouts.
const HTTP_DATE = [
  new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (?:${MONTHS}) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$`),
  new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-(?:${MONTHS})-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT$`),
  new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:${MONTHS}) [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}$`),
];

/** Unix seconds of an HTTP date (Last-Modified), or undefined when Go would not parse it. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined || !HTTP_DATE.some((re) => re.test(value))) return undefined;
  const asUtc = value.endsWith('GMT') ? value : `${value} GMT`;
  const ms = Date.parse(asUtc);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const BYTE_UNITS: Record<string, number> = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5, E: 1024 ** 6 };

/** Go units.Base2Bytes ("512KB", "1MiB": powers of 1024); 0 means no limit. */
export function parseByteSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+(?:\.[0-9]+)?)([KMGTPE]?)i?B$/.exec(value);
  if (!m) throw new Error(`invalid size "${value}"`);
  return Math.floor(Number(m[1]) * BYTE_UNITS[m[2] || 'B']!);
}

/** Go's resp.ContentLength: -1 when unknown (chunked, or read-until-close). */
export function contentLength(status: number, method: string, headers: readonly [string, string][]): number {
  const te = headerValues(headers, 'transfer-encoding');
  const cl = headerValues(headers, 'content-length')[0];
  const declared = cl !== undefined && /^\d+$/.test(cl.trim()) ? Number(cl.trim()) : -1;
  if (method.toUpperCase() === 'HEAD') return declared;
  if ((status >= 100 && status < 200) || status === 204 || status === 304) return 0;
  if (te.some((v) => /chunked/i.test(v))) return -1;
  return declared;
}
