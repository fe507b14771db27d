import { describe, expect, it } from 'vitest';
import { parseSelector } from '../../client/selector.js';

describe('parseSelector', () => {
  it('reads repeated and comma-separated key=value pairs', () => {
    expect(parseSelector(['region=eu', 'pop=ams, name=agent-1'])).toEqual({ region: 'eu', pop: 'ams', name: 'agent-1' });
    expect(parseSelector([])).toEqual({});
    expect(parseSelector(['  '])).toEqual({});
  });

  it('keeps "=" inside values', () => {
    expect(parseSelector(['note=a=b'])).toEqual({ note: 'a=b' });
  });

  it('refuses pairs without a key, bad label names and contradictions', () => {
    expect(() => parseSelector(['region'])).toThrow('agent selector "region" must be key=value');
    expect(() => parseSelector(['=eu'])).toThrow('must be key=value');
    expect(() => parseSelector(['9x=1'])).toThrow('"9x" is not a valid label name');
    expect(() => parseSelector(['a=1', 'a=2'])).toThrow('names "a" twice');
  });

  it('takes constructor and __proto__ as label names, and refuses separators alone', () => {
    expect(parseSelector(['constructor=x'])).toEqual({ constructor: 'x' });
    const proto = parseSelector(['__proto__=x']);
    expect(Object.hasOwn(proto, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(() => parseSelector([',,,'])).toThrow('has no key=value');
    expect(() => parseSelector([', ,'])).toThrow('has no key=value');
  });
});
