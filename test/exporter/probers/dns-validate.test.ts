import { describe, expect, it } from 'vitest';
import { rcodeError, rrsError } from '../../../exporter/probers/dns/validate.js';
import type { DnsRrValidator } from '../../../lib/config/probers/dns.js';

const RRS = ['example.org.\t300\tIN\tA\t192.0.2.1', 'example.org.\t300\tIN\tA\t192.0.2.2'];

function v(partial: Partial<DnsRrValidator>): DnsRrValidator {
  return {
    fail_if_matches_regexp: [],
    fail_if_all_match_regexp: [],
    fail_if_not_matches_regexp: [],
    fail_if_none_matches_regexp: [],
    ...partial,
  };
}

describe('rcodeError', () => {
  it('accepts the listed rcodes only', () => {
    expect(rcodeError(0, ['NOERROR'])).toBeUndefined();
    expect(rcodeError(3, ['NOERROR', 'NXDOMAIN'])).toBeUndefined();
    expect(rcodeError(4, ['NOTIMPL'])).toBeUndefined();
    expect(rcodeError(2, ['NOERROR'])).toBe('rcode SERVFAIL is not one of the valid rcodes (NOERROR)');
  });
});

describe('rrsError, the four regex kinds', () => {
  it('fail_if_matches_regexp fails when any record matches', () => {
    expect(rrsError(RRS, v({ fail_if_matches_regexp: ['192\\.0\\.2\\.2$'] }))).toMatch(/matched fail_if_matches_regexp/);
    expect(rrsError(RRS, v({ fail_if_matches_regexp: ['10\\.'] }))).toBeUndefined();
  });

  it('fail_if_all_match_regexp fails when not every record matches, as blackbox 0.23 does', () => {
    expect(rrsError(RRS, v({ fail_if_all_match_regexp: ['\\.1$'] }))).toBe('not all records matched fail_if_all_match_regexp');
    expect(rrsError(RRS, v({ fail_if_all_match_regexp: ['IN\\tA\\t192\\.0\\.2\\.'] }))).toBeUndefined();
  });

  it('fail_if_not_matches_regexp fails when any record does not match', () => {
    expect(rrsError(RRS, v({ fail_if_not_matches_regexp: ['\\.1$'] }))).toMatch(/did not match fail_if_not_matches_regexp "\\\\.1\$": .*192\.0\.2\.2/);
    expect(rrsError(RRS, v({ fail_if_not_matches_regexp: ['^example\\.org\\.\\t'] }))).toBeUndefined();
  });

  it('fail_if_none_matches_regexp fails when no record matches', () => {
    expect(rrsError(RRS, v({ fail_if_none_matches_regexp: ['AAAA'] }))).toMatch(/no record matched/);
    expect(rrsError(RRS, v({ fail_if_none_matches_regexp: ['\\.2$'] }))).toBeUndefined();
  });

  it('treats an empty section as blackbox does', () => {
    expect(rrsError([], v({ fail_if_not_matches_regexp: ['x'] }))).toMatch(/no RRs returned/);
    expect(rrsError([], v({ fail_if_none_matches_regexp: ['x'] }))).toMatch(/no RRs returned/);
    expect(rrsError([], v({ fail_if_matches_regexp: ['x'] }))).toBeUndefined();
    // Vacuously "all matched": passes, as in blackbox.
    expect(rrsError([], v({ fail_if_all_match_regexp: ['x'] }))).toBeUndefined();
    expect(rrsError([], v({}))).toBeUndefined();
  });

  it('understands Go inline flags', () => {
    expect(rrsError(RRS, v({ fail_if_none_matches_regexp: ['(?i)EXAMPLE\\.ORG'] }))).toBeUndefined();
  });
});
