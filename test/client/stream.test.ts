import { describe, expect, it } from 'vitest';
import { NdjsonDecoder } from '../../client/stream.js';

describe('NdjsonDecoder', () => {
  it('joins lines split across chunks and skips blank lines', () => {
    const d = new NdjsonDecoder();
    expect(d.push('{"agent":"a"')).toEqual([]);
    expect(d.push(',"status":"ok"}\n\n{"agent":"b"}\n{"do')).toEqual([{ agent: 'a', status: 'ok' }, { agent: 'b' }]);
    expect(d.push('ne":true}')).toEqual([]);
    expect(d.end()).toEqual([{ done: true }]);
  });

  it('says which line was not JSON', () => {
    const d = new NdjsonDecoder();
    expect(() => d.push('<html>oops</html>\n')).toThrow(/not JSON: <html>oops/);
  });
});
