import { describe, expect, it } from 'vitest';
import { dnsRecords, httpHeaders, httpPhases, mtrHops, tlsCertificate, tlsVersion } from '../../client/details.js';
import { samples } from '../../client/metrics.js';
import { dnsOk, httpOk, mtrOk } from '../cli/fixtures/rows.js';

describe('details readers', () => {
  it('flattens dns records with their section', () => {
    expect(dnsRecords(dnsOk.result)).toEqual([
      { section: 'answer', name: 'www.test.', type: 'A', ttl: 300, data: '192.0.2.1' },
      { section: 'answer', name: 'www.test.', type: 'A', ttl: 300, data: '192.0.2.2' },
    ]);
    expect(dnsRecords(null)).toEqual([]);
  });

  it('reads header objects with repeated headers as pairs', () => {
    expect(httpHeaders(httpOk.result)).toEqual([
      ['content-type', 'text/html'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ]);
  });

  it('orders http phases as blackbox does', () => {
    expect(httpPhases(samples(httpOk.result, 'probe_http_duration_seconds')).map((p) => p.phase)).toEqual(['resolve', 'connect', 'tls', 'processing', 'transfer']);
  });

  it('takes the leaf certificate of the chain', () => {
    expect(tlsCertificate(httpOk.result)?.subject).toBe('CN=site.test');
    expect(tlsVersion(httpOk.result)).toBe('TLS 1.3');
  });

  it('reads mtr hops in seconds and ratios', () => {
    const hops = mtrHops(mtrOk.result);
    expect(hops[1]).toEqual({ hop: 2, host: 'dest.test', ip: '10.0.0.2', loss: 0.2, sent: 5, last: 0.002, avg: 0.0021, best: 0.0019, worst: 0.003, stdev: 0.0002 });
  });
});
