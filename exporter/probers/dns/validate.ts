/** blackbox_exporter's validRcode and validRRs, returning the reason for failure instead of false. */
import type { DnsOptions, DnsRrValidator } from '../../../lib/config/probers/dns.js';
import { DNS_RCODES, rcodeName } from '../../../lib/config/probers/dns-names.js';
import { compileGoRegex } from '../../../lib/regex.js';
import type { DnsResponse } from './response.js';

/** The rcode first, then the answer, authority and additional sections: the first problem wins. */
export function responseError(r: DnsResponse, o: DnsOptions): string | undefined {
  const rcode = rcodeError(r.rcodeNumber, o.valid_rcodes);
  if (rcode) return rcode;
  const sections = [
    ['answer', r.answer, o.validate_answer_rrs],
    ['authority', r.authority, o.validate_authority_rrs],
    ['additional', r.additional, o.validate_additional_rrs],
  ] as const;
  for (const [name, records, validator] of sections) {
    const problem = rrsError(
      records.map((rr) => rr.text),
      validator,
    );
    if (problem) return `${name} RRs validation failed: ${problem}`;
  }
  return undefined;
}

export function rcodeError(rcode: number, valid: readonly string[]): string | undefined {
  if (valid.some((name) => DNS_RCODES[name] === rcode)) return undefined;
  return `rcode ${rcodeName(rcode)} is not one of the valid rcodes (${valid.join(', ')})`;
}

/**
 * The four regex kinds against each record's zone-file text, in blackbox's order: a record
 * matching fail_if_matches or not matching fail_if_not_matches fails at once; fail_if_none_matches
 * fails when no record matched any of its regexes. fail_if_all_match_regexp does what
 * blackbox_exporter 0.23 does, not what its name says: it fails when some record did NOT match
 * one of its regexes ("Not all RRs matched regexp"), checked after the loop. A drop-in must keep
 * that, or alerts written against blackbox would flip.
 */
export function rrsError(texts: readonly string[], v: DnsRrValidator): string | undefined {
  if (texts.length === 0 && v.fail_if_not_matches_regexp.length > 0) {
    return 'fail_if_not_matches_regexp specified but no RRs returned';
  }
  if (texts.length === 0 && v.fail_if_none_matches_regexp.length > 0) {
    return 'fail_if_none_matches_regexp specified but no RRs returned';
  }
  const compile = (sources: readonly string[]) => sources.map((s) => ({ source: s, re: compileGoRegex(s) }));
  const failIfMatches = compile(v.fail_if_matches_regexp);
  const failIfAll = compile(v.fail_if_all_match_regexp);
  const failIfNot = compile(v.fail_if_not_matches_regexp);
  const failIfNone = compile(v.fail_if_none_matches_regexp);
  let allMatch = true;
  let anyMatch = false;
  for (const text of texts) {
    for (const { source, re } of failIfMatches) {
      if (re.test(text)) return `a record matched fail_if_matches_regexp ${JSON.stringify(source)}: ${text}`;
    }
    for (const { re } of failIfAll) if (!re.test(text)) allMatch = false;
    for (const { source, re } of failIfNot) {
      if (!re.test(text)) return `a record did not match fail_if_not_matches_regexp ${JSON.stringify(source)}: ${text}`;
    }
    for (const { re } of failIfNone) if (re.test(text)) anyMatch = true;
  }
  if (failIfAll.length > 0 && !allMatch) return 'not all records matched fail_if_all_match_regexp';
  if (failIfNone.length > 0 && !anyMatch) return 'no record matched fail_if_none_matches_regexp';
  return undefined;
}
