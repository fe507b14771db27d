import { describe, expect, it } from 'vitest';
import { sampleValue } from '../../bench/exposition.js';

const text = `# HELP probe_http_duration_seconds Duration of http request by phase, summed over all redirects
# TYPE probe_http_duration_seconds gauge
probe_http_duration_seconds{phase="connect"} 0.000151
probe_http_duration_seconds{phase="processing"} 0.050923
probe_http_duration_seconds{phase="resolve"} 1.2e-05
probe_http_duration_seconds_extra{phase="processing"} 9
probe_success 1
probe_ssl_last_chain_info{fingerprint_sha256="ab",issuer="CN=a\\"b",subject="x"} 1
probe_x +Inf
`;

describe('finding one sample in exposition text', () => {
  it('matches by name and exact label set', () => {
    expect(sampleValue(text, 'probe_http_duration_seconds', { phase: 'processing' })).toBe(0.050923);
    expect(sampleValue(text, 'probe_http_duration_seconds', { phase: 'resolve' })).toBe(1.2e-5);
    expect(sampleValue(text, 'probe_success')).toBe(1);
  });

  it('does not match a longer metric name, a missing label or a partial label set', () => {
    expect(sampleValue(text, 'probe_http_duration_seconds', { phase: 'tls' })).toBeUndefined();
    expect(sampleValue(text, 'probe_http_duration_seconds')).toBeUndefined();
    expect(sampleValue(text, 'probe_ssl_last_chain_info', { subject: 'x' })).toBeUndefined();
    expect(sampleValue(text, 'probe_missing')).toBeUndefined();
  });

  it('unescapes label values and reads +Inf', () => {
    expect(sampleValue(text, 'probe_ssl_last_chain_info', { fingerprint_sha256: 'ab', issuer: 'CN=a"b', subject: 'x' })).toBe(1);
    expect(sampleValue(text, 'probe_x')).toBe(Number.POSITIVE_INFINITY);
  });
});
