import { describe, expect, it } from 'vitest';
import { columnsFor, keyFigure, note } from '../../client/figures.js';
import { formatRatio, formatSeconds, metric } from '../../client/metrics.js';
import { dnsOk, httpFailed, httpOk, mtrOk, offline, pingOk, timedOut } from '../cli/fixtures/rows.js';

describe('formatting', () => {
  it('formats seconds with sensible precision', () => {
    expect(formatSeconds(0.0004)).toBe('0.40 ms');
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(0.456)).toBe('456 ms');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(undefined)).toBe('');
    expect(formatSeconds(Number.NaN)).toBe('');
  });

  it('formats ratios as percentages', () => {
    expect(formatRatio(0)).toBe('0%');
    expect(formatRatio(1)).toBe('100%');
    expect(formatRatio(1 / 3)).toBe('33%');
    expect(formatRatio(0.05)).toBe('5.0%');
    expect(formatRatio(undefined)).toBe('');
  });

  it('reads labelled and unlabelled metrics', () => {
    expect(metric(httpOk.result, 'probe_http_status_code')).toBe(200);
    expect(metric(httpOk.result, 'probe_http_duration_seconds', { phase: 'tls' })).toBe(0.01);
    expect(metric(httpOk.result, 'probe_http_status_code', { phase: 'tls' })).toBeUndefined();
    expect(metric(null, 'probe_http_status_code')).toBeUndefined();
  });
});

describe('key figures', () => {
  it('http: status code and total time over the phases', () => {
    expect(keyFigure('http', httpOk)).toBe('200 · 43.4 ms');
    expect(keyFigure('http', httpFailed)).toBe('50.0 ms');
  });

  it('dns: lookup (request phase) time and answer count', () => {
    expect(keyFigure('dns', dnsOk)).toBe('2.30 ms · 2 answers');
  });

  it('ping: average RTT and loss', () => {
    expect(keyFigure('icmp', pingOk)).toBe('0.05 ms · 33% loss');
  });

  it('mtr: hops, loss and latency at the last hop', () => {
    expect(keyFigure('mtr', mtrOk)).toBe('2 hops · 20% loss · 2.10 ms');
  });

  it('nothing for rows without a result', () => {
    expect(keyFigure('http', timedOut)).toBe('');
    expect(keyFigure('dns', offline)).toBe('');
  });
});

describe('columns', () => {
  const values = (type: string, row: typeof httpOk) => columnsFor(type).map((c) => [c.title, c.value(row)]);

  it('per test type', () => {
    expect(values('http', httpOk)).toEqual([
      ['CODE', '200'],
      ['TIME', '43.4 ms'],
      ['TLS', 'TLS 1.3'],
    ]);
    expect(values('dns', dnsOk)).toEqual([
      ['TIME', '2.30 ms'],
      ['ANSWERS', '192.0.2.1, 192.0.2.2'],
    ]);
    expect(values('icmp', pingOk)).toEqual([
      ['RTT', '0.05 ms'],
      ['LOSS', '33%'],
    ]);
    expect(values('mtr', mtrOk)).toEqual([
      ['HOPS', '2'],
      ['LOSS', '20%'],
      ['RTT', '2.10 ms'],
      ['AS PATH', ''],
    ]);
    // RTT and LOSS are TCP ping's, optional: a table leaves them out when no row has them.
    expect(values('tcp', { ...httpOk, result: { ...httpOk.result!, metrics: {} } })).toEqual([
      ['TIME', '50.0 ms'],
      ['RTT', ''],
      ['LOSS', ''],
    ]);
    const tcpPing = { probe_tcp_ping_packet_loss_ratio: 0.25, probe_tcp_ping_rtt_seconds: [{ labels: { stat: 'avg' }, value: 0.0021 }] };
    expect(values('tcp', { ...httpOk, result: { ...httpOk.result!, metrics: tcpPing } })).toEqual([
      ['TIME', '50.0 ms'],
      ['RTT', '2.10 ms'],
      ['LOSS', '25%'],
    ]);
    const burst = {
      probe_burst_attempts: 100,
      probe_burst_stalled_handshakes: 3,
      probe_burst_failures: [{ labels: { kind: 'timeout' }, value: 2 }, { labels: { kind: 'refused' }, value: 0 }],
      probe_burst_connect_seconds: [
        { labels: { quantile: '0.5' }, value: 0.0012 },
        { labels: { quantile: '0.99' }, value: 1.02 },
        { labels: { quantile: '1' }, value: 3.1 },
      ],
    };
    expect(values('burst', { ...httpOk, result: { ...httpOk.result!, metrics: burst } })).toEqual([
      ['CONN', '100'],
      ['STALLED', '3'],
      ['FAILED', '2'],
      ['P50', '1.20 ms'],
      ['P99', '1020 ms'],
      ['MAX', '3100 ms'],
    ]);
  });

  it('a note says why a row is not ok', () => {
    expect(note(httpOk)).toBe('');
    expect(note(httpFailed)).toBe('connect ECONNREFUSED 127.0.0.1:9');
    expect(note(timedOut)).toBe('no answer within 10s');
    expect(note({ ...offline, reason: undefined })).toBe('offline');
  });
});
