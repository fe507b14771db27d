import { describe, expect, it } from 'vitest';
import { LiveTable, type Output } from '../../cli/live.js';
import { httpFailed, httpOk, offline, timedOut } from './fixtures/rows.js';

function sink(extra: Partial<Output> = {}): Output & { chunks: string[] } {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => chunks.push(s), ...extra };
}

const opts = { type: 'http', showTarget: false, colour: false, timeoutSeconds: 10 };

describe('LiveTable', () => {
  it('piped: writes the whole table once, at the end, without escape codes', () => {
    const out = sink();
    const t = new LiveTable(out, { ...opts, tty: false });
    t.add(httpOk);
    t.add(httpFailed);
    expect(out.chunks).toEqual([]);
    t.finish(['2 rows']);
    expect(out.chunks.join('')).toBe(
      ['AGENT  STATUS  CODE     TIME  TLS      NOTE', 'ams-1  ok       200  43.4 ms  TLS 1.3', 'nyc-1  failed        50.0 ms           connect ECONNREFUSED 127.0.0.1:9', '2 rows', ''].join('\n'),
    );
  });

  it('terminal: redraws the table in place under a progress line, and drops it at the end', () => {
    const out = sink({ isTTY: true, columns: 200, rows: 50 });
    const t = new LiveTable(out, { ...opts, tty: true });
    expect(out.chunks[0]).toMatch(/^AGENT {2}STATUS {2}CODE {2}TIME {2}TLS {2}NOTE\n… 0 answers so far · [\d.]+s \(timeout 10s\)\n$/);
    t.add(httpOk);
    // Back up over the 2 lines drawn before (header + progress), clear, draw 3.
    expect(out.chunks[1]).toMatch(/^\x1b\[2F\x1b\[JAGENT.*\nams-1 .*\n… 1 answer so far/);
    t.finish(['done']);
    const last = out.chunks.at(-2)!;
    expect(last.startsWith('\x1b[3F\x1b[J')).toBe(true);
    expect(last).not.toContain('so far');
    expect(out.chunks.at(-1)).toBe('done\n');
  });

  it('terminal: colours the status and clips lines to the width', () => {
    const out = sink({ isTTY: true, columns: 40, rows: 50 });
    const t = new LiveTable(out, { ...opts, tty: true, colour: true });
    t.add(httpFailed);
    t.finish([]);
    const frame = out.chunks.at(-1)!.replace(/^\x1b\[\d+F\x1b\[J/, '');
    expect(frame).toContain('\x1b[31mfailed\x1b[0m');
    for (const line of frame.split('\n')) expect(line.replace(/\x1b\[[0-9;]*m/g, '').length).toBeLessThan(40);
  });

  it('terminal: a table taller than the screen is printed once, only the progress line moves', () => {
    const out = sink({ isTTY: true, columns: 200, rows: 4 });
    const t = new LiveTable(out, { ...opts, tty: true });
    for (const r of [httpOk, httpFailed, timedOut, offline]) t.add(r);
    const during = out.chunks.slice(-1)[0]!;
    expect(during).toMatch(/^\x1b\[1F\x1b\[J… 4 answers so far/);
    t.finish([]);
    const final = out.chunks.at(-1)!;
    expect(final.startsWith('\x1b[1F\x1b[JAGENT')).toBe(true);
    expect(final.split('\n').filter((l) => l !== '')).toHaveLength(5);
  });
});
