import { describe, expect, it } from 'vitest';
import { ago } from '../../../client/time.js';
import { agentsTable, resultsTable, summaryLine } from '../../../cli/format/results.js';
import { layoutTable } from '../../../cli/format/table.js';
import type { Agent } from '../../../client/api.js';
import { httpFailed, httpOk, offline, timedOut } from '../fixtures/rows.js';

describe('layoutTable', () => {
  it('aligns columns two spaces apart, right-aligns numbers, trims trailing blanks', () => {
    const lines = layoutTable({
      headers: ['NAME', 'N', 'NOTE'],
      rows: [
        ['a', '1', ''],
        ['longer·name', '100', 'x'],
      ],
      align: ['left', 'right', 'left'],
    });
    expect(lines).toEqual(['NAME           N  NOTE', 'a              1', 'longer·name  100  x']);
  });

  it('decorates after padding so colour codes do not skew widths', () => {
    const lines = layoutTable({ headers: ['S', 'X'], rows: [['ok', 'y']], align: ['left', 'left'] }, (col, padded) => (col === 0 ? `<${padded}>` : padded));
    expect(lines).toEqual(['S   X', '<ok>  y']);
  });
});

describe('results table', () => {
  it('sorts by agent and fills type columns', () => {
    const lines = layoutTable(resultsTable('http', [timedOut, httpFailed, offline, httpOk]));
    expect(lines).toEqual([
      'AGENT  STATUS   CODE     TIME  TLS      NOTE',
      'ams-1  ok        200  43.4 ms  TLS 1.3',
      'nyc-1  failed         50.0 ms           connect ECONNREFUSED 127.0.0.1:9',
      'sin-1  timeout                          no answer within 10s',
      'syd-1  offline                          agent inactive since 2026-11-21T07:00:00Z',
    ]);
  });

  it('adds a target column when asked', () => {
    const t = resultsTable('dns', [httpOk], { showTarget: true, targetTitle: 'RESOLVER' });
    expect(t.headers).toEqual(['AGENT', 'RESOLVER', 'STATUS', 'TIME', 'ANSWERS', 'NOTE']);
    expect(t.rows[0]!.slice(0, 3)).toEqual(['ams-1', 'https://site.test/', 'ok']);
  });

  it('summarizes', () => {
    expect(summaryLine({ ok: 2, failed: 1, timeout: 0, offline: 3 })).toBe('2 ok, 1 failed, 0 timed out, 3 offline');
  });
});

describe('agents table', () => {
  const now = new Date('2026-11-21T08:00:00Z');
  const agent = (name: string, extra: Partial<Agent>): Agent => ({
    name,
    labels: {},
    url: 'https://127.0.0.1:1',
    version: '0.1.0',
    protocol: 1,
    probers: ['dns', 'http'],
    ip_versions: [4],
    active: true,
    last_seen: '2026-11-21T07:59:58Z',
    refused: null,
    ...extra,
  });

  it('shows state, labels, version and how long ago', () => {
    const lines = layoutTable(
      agentsTable(
        [
          agent('b', { active: false, last_seen: '2026-11-21T06:00:00Z' }),
          agent('a', { labels: { region: 'eu', pop: 'ams' } }),
          agent('c', { refused: 'protocol 9 not supported' }),
        ],
        now,
      ),
    );
    expect(lines).toEqual([
      'NAME  STATE    LABELS             VERSION  LAST SEEN  PROBERS   NOTE',
      'a     online   region=eu,pop=ams  0.1.0    2s ago     dns,http',
      'b     offline                     0.1.0    2h ago     dns,http',
      'c     refused                     0.1.0    2s ago     dns,http  protocol 9 not supported',
    ]);
  });

  it('ago() covers minutes and days and passes bad dates through', () => {
    expect(ago('2026-11-21T07:57:00Z', now)).toBe('3m ago');
    expect(ago('2026-11-18T08:00:00Z', now)).toBe('3d ago');
    expect(ago('yesterday', now)).toBe('yesterday');
  });
});
