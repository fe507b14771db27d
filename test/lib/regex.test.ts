import { describe, expect, it } from 'vitest';
import { compileGoRegex, regexError } from '../../lib/regex.js';

describe('Go RE2 patterns on re2js', () => {
  it.each([
    // [pattern, matches, does not match]
    ['\\Aab', 'abc', 'xab'],
    ['(?m)^b$', 'a\nb\nc', 'a\rb\rc'],
    ['(?m)\\Ab', 'b\nb', 'a\nb'],
    ['(?m)b\\z', 'b\nb', 'b\nc'],
    ['b\\z', 'ab', 'b\n'],
    ['^[[:digit:]]+$', '0123', '12a'],
    ['^[^[:alpha:][:digit:]]$', '-', 'q'],
    ['^[[:punct:]]+$', '!/:@[`{~', 'a'],
    ['^[[:space:]]$', '\v', 'x'],
    ['^\\pL+$', 'ĥéllo', 'h3llo'],
    ['^\\PL$', '3', 'x'],
    ['^\\p{Greek}+$', 'αβγ', 'abc'],
    ['^\\p{^Greek}$', 'a', 'α'],
    ['^\\Qa.b*c\\E$', 'a.b*c', 'axbbc'],
    ['^a.c$', 'a\rc', 'a\nc'],
    ['(?s)^a.c$', 'a\nc', 'ac'],
    ['^\\s$', ' ', '\v'],
    ['^\\S$', '\u00a0', ' '],
    ['^[]a]+$', ']a]', 'b'],
    ['^\\x41\\x{1F600}$', 'A😀', 'A'],
    ['^\\101$', 'A', '\\101'],
    ['^\\a$', '\x07', 'a'],
    ['^a{,2}$', 'a{,2}', 'aa'],
    ['^(?P<word>\\w+)\\-\\#$', 'ab-#', 'ab'],
    ['(?i)^abc$', 'ABC', 'abd'],
  ])('%s matches %j and not %j', (pattern, yes, no) => {
    const re = compileGoRegex(pattern);
    expect(re.test(yes)).toBe(true);
    expect(re.test(no)).toBe(false);
  });

  it.each([
    // Go's own messages, as blackbox prints them when a config does not load.
    ['a\\Cb', 'invalid escape sequence: `\\C`'],
    ['a\\Z', 'invalid escape sequence: `\\Z`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['[[:digits:]]', 'invalid character class range: `[:digits:]`'],
    ['a(?=b)', 'invalid or unsupported Perl syntax: `(?=`'],
    [':[', 'missing closing ]: `[`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a{1001}', 'invalid repeat count: `{1001}`'],
    ['\\p{NoSuchScript}', 'invalid character class range: `\\p{NoSuchScript}`'],
  ])('refuses %s as Go does', (pattern, message) => {
    expect(regexError(pattern)).toBe(`error parsing regexp: ${message}`);
  });

  it.each([
    // [pattern, matches, does not match]: Go accepts these; a translation to JavaScript did not.
    // `+` repeats the empty `^`: the pattern is "OK at the start", so a "+OK" banner does not match.
    ['^+OK', 'OK ready', '+OK ready'],
    ['a(?i)b', 'aB', 'AB'],
    ['(?U)a+', 'a', 'b'],
    ['^[[:^digit:]]+$', 'abc', 'a1'],
  ])('reads %s as Go does', (pattern, yes, no) => {
    const re = compileGoRegex(pattern);
    expect(re.test(yes)).toBe(true);
    expect(re.test(no)).toBe(false);
  });

  it('matches in linear time: a nested quantifier does not stall', () => {
    const re = compileGoRegex('^(a+)+$');
    const input = `${'a'.repeat(100_000)}b`;
    // JavaScript's engine would backtrack for longer than the age of the universe here.
    expect(re.test(input)).toBe(false);
    expect(re.test('a'.repeat(100_000))).toBe(true);
  });

  it('compiles each pattern once', () => {
    expect(compileGoRegex('^memo[[:digit:]]$')).toBe(compileGoRegex('^memo[[:digit:]]$'));
    expect(compileGoRegex('^memo[[:digit:]]$').test('memo1')).toBe(true);
    expect(compileGoRegex('^memo[[:digit:]]$').test('memo1')).toBe(true);
  });
});
