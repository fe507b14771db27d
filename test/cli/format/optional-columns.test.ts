import { describe, expect, it } from 'vitest';
import { resultsTable } from '../../../cli/format/results.js';
import { httpOk } from '../fixtures/rows.js';

describe('results table: optional columns', () => {
  const plain = { ...httpOk, result: { ...httpOk.result!, metrics: {} } };
  const ping = { ...httpOk, agent: 'zrh-1', result: { ...httpOk.result!, metrics: { probe_tcp_ping_packet_loss_ratio: 0, probe_tcp_ping_rtt_seconds: [{ labels: { stat: 'avg' }, value: 0.001 }] } } };

  it('leaves TCP ping columns out of a plain tcp table', () => {
    expect(resultsTable('tcp', [plain]).headers).toEqual(['AGENT', 'STATUS', 'TIME', 'NOTE']);
  });

  it('shows them when a row has TCP ping figures', () => {
    const t = resultsTable('tcp', [plain, ping]);
    expect(t.headers).toEqual(['AGENT', 'STATUS', 'TIME', 'RTT', 'LOSS', 'NOTE']);
    expect(t.rows.map((r) => r[4])).toEqual(['', '0%']);
  });
});
