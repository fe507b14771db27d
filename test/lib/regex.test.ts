import { describe, expect, it } from 'vitest';
import { compileGoRegex, regexError } from '../../lib/regex.js';

describe('Go RE2 patterns compiled for JavaScript', () => {
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
    ['a\\Cb', 'invalid or unsupported escape \\C'],
    ['a\\Z', 'invalid or unsupported escape \\Z'],
    ['(a)\\1', 'backreference \\1 is not supported'],
    ['[[:^digit:]]', 'the negated POSIX class [:^digit:] is not supported'],
    ['[[:digits:]]', 'unknown POSIX class [:digits:]'],
    ['a(?i)b', 'the group (?i)… is not supported'],
    ['a(?=b)', 'the group (?=b… is not supported'],
    ['(?U)a+', 'the (?U) ungreedy flag is not supported'],
    ['[\\Qa\\E]', '\\Q…\\E inside a character class is not supported'],
    ['[a', 'missing closing ]'],
    ['\\p{NoSuchScript}', 'Invalid'],
  ])('refuses %s, naming the construct', (pattern, message) => {
    expect(regexError(pattern)).toContain(message);
  });

  it('compiles each pattern once', () => {
    expect(compileGoRegex('^memo[[:digit:]]$')).toBe(compileGoRegex('^memo[[:digit:]]$'));
    expect(compileGoRegex('^memo[[:digit:]]$').flags).not.toMatch(/[gy]/);
  });
});
