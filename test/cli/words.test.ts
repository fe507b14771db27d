import { describe, expect, it } from 'vitest';
import { parseTimeout, resolveGlobals, UsageError } from '../../cli/context.js';
import { isStdinMode } from '../../cli/stdin.js';
import { splitWords } from '../../cli/words.js';

describe('splitWords', () => {
  it('splits on blanks and honours quotes and backslashes without expanding anything', () => {
    expect(splitWords('dns example.org --type AAAA')).toEqual(['dns', 'example.org', '--type', 'AAAA']);
    expect(splitWords(`http 'https://a.test/?q=1 2' --host "b.test"`)).toEqual(['http', 'https://a.test/?q=1 2', '--host', 'b.test']);
    expect(splitWords('tcp a\\ b:1 "$HOME" `id`')).toEqual(['tcp', 'a b:1', '$HOME', '`id`']);
    expect(splitWords('ping x # a comment')).toEqual(['ping', 'x']);
    expect(splitWords('ping a#b')).toEqual(['ping', 'a#b']);
    expect(splitWords('"say \\"hi\\""')).toEqual(['say "hi"']);
  });

  it('returns undefined for blank and comment lines, and refuses open quotes', () => {
    expect(splitWords('   ')).toBeUndefined();
    expect(splitWords('# all agents')).toBeUndefined();
    expect(() => splitWords('dns "open')).toThrow('unterminated " quote');
  });
});

describe('stdin mode', () => {
  it('is "-" last with no command named', () => {
    expect(isStdinMode(['-'])).toBe(true);
    expect(isStdinMode(['--hub', 'http://h:1', '-'])).toBe(true);
    expect(isStdinMode(['dns', '-'])).toBe(false);
    expect(isStdinMode([])).toBe(false);
  });
});

describe('globals', () => {
  const io = (env: Record<string, string> = {}, isTTY = false) => ({
    stdout: { write: () => true, isTTY },
    stderr: { write: () => true },
    env,
    readStdin: async () => '',
  });

  it('takes the hub from --hub, then PULSE_HUB, then the default', () => {
    expect(resolveGlobals({}, io()).hub).toBe('http://127.0.0.1:7778');
    expect(resolveGlobals({}, io({ PULSE_HUB: 'http://hub.test:1' })).hub).toBe('http://hub.test:1');
    expect(resolveGlobals({ hub: 'https://x.test' }, io({ PULSE_HUB: 'http://hub.test:1' })).hub).toBe('https://x.test');
    expect(() => resolveGlobals({ hub: 'hub.test:7778' }, io())).toThrow(UsageError);
  });

  it('colours only on a terminal without NO_COLOR', () => {
    expect(resolveGlobals({}, io({}, true)).colour).toBe(true);
    expect(resolveGlobals({}, io({ NO_COLOR: '1' }, true)).colour).toBe(false);
    expect(resolveGlobals({ color: false }, io({}, true)).colour).toBe(false);
    expect(resolveGlobals({}, io({}, false)).colour).toBe(false);
  });

  it('parses timeouts as seconds or durations', () => {
    expect(parseTimeout('10')).toBe(10);
    expect(parseTimeout('2.5')).toBe(2.5);
    expect(parseTimeout('1m')).toBe(60);
    expect(parseTimeout('500ms')).toBe(0.5);
    expect(() => parseTimeout('0')).toThrow('more than 0');
    expect(() => parseTimeout('soon')).toThrow('not a number of seconds');
  });
});
