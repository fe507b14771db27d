// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references, meant literally
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expandTemplate } from '../../../exporter/probers/shared/expand.js';
import { LineReader, MAX_LINE_BYTES } from '../../../exporter/probers/shared/line-reader.js';
import { compileGoRegex } from '../../../lib/regex.js';

describe('expandTemplate (Go Regexp.Expand)', () => {
  const match = compileGoRegex('^(?P<code>\\d+) (?P<host>[^ ]+) (\\w+)(x)?').exec('220 mail.test ESMTP ready')!;
  const cases: Array<[string, string]> = [
    ['EHLO ${host}', 'EHLO mail.test'],
    ['$code-$3', '220-ESMTP'],
    ['${1}0', '2200'],
    ['$10', ''], // group 10 does not exist: empty, as in Go
    ['$1x', ''], // greedy name "1x" is unknown: empty
    ['${4}|$4', '|'], // a group that did not take part is empty
    ['$$1 costs $', '$1 costs $'], // $$ is a dollar; a lone $ at the end stays
    ['${unknown}', ''],
    ['${bad-name} $-', '${bad-name} $-'], // malformed references stay as written
    ['${01}', ''], // leading zero: a name, not a number
    ['${0}', '220 mail.test ESMTP'],
    ['no references', 'no references'],
  ];
  it.each(cases)('%j → %j', (template, want) => {
    expect(expandTemplate(template, match)).toBe(want);
  });
});

describe('compileGoRegex named groups', () => {
  it('reads (?P<name>…) and leaves an escaped parenthesis alone', () => {
    expect(compileGoRegex('(?P<a>x)(?P<b>y)').exec('xy')?.groups).toEqual({ a: 'x', b: 'y' });
    expect(compileGoRegex('\\(?P<').test('P<')).toBe(true);
    expect(compileGoRegex('\\\\(?P<n>z)').exec('\\z')?.groups).toEqual({ n: 'z' });
  });
});

describe('LineReader (bufio.Scanner lines)', () => {
  it('splits LF and CRLF, returns the last unterminated line, then null', async () => {
    const s = new PassThrough();
    const r = new LineReader(s);
    s.write('one\r\ntw');
    s.write('o\nthree');
    s.end();
    expect(await r.readLine()).toBe('one');
    expect(await r.readLine()).toBe('two');
    expect(await r.readLine()).toBe('three');
    expect(await r.readLine()).toBeNull();
  });

  it('waits for data that arrives later', async () => {
    const s = new PassThrough();
    const r = new LineReader(s);
    const pending = r.readLine();
    s.write('late line\n');
    expect(await pending).toBe('late line');
  });

  it('fails a line longer than the scanner limit', async () => {
    const s = new PassThrough();
    const r = new LineReader(s);
    s.write(Buffer.alloc(MAX_LINE_BYTES + 1, 0x61));
    await expect(r.readLine()).rejects.toThrow(`line longer than ${MAX_LINE_BYTES} bytes`);
  });

  it('rejects a pending read when interrupted', async () => {
    const s = new PassThrough();
    const r = new LineReader(s);
    const pending = r.readLine();
    r.interrupt(new Error('aborted'));
    await expect(pending).rejects.toThrow('aborted');
  });
});
