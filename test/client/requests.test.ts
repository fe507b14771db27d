import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../client/requests.js';

const common = { agents: { region: 'eu' } };

describe('buildRequest', () => {
  it('asks the resolver for the name (dns target = resolver, as in blackbox)', () => {
    expect(buildRequest({ type: 'dns', name: 'example.org', qtype: 'aaaa', resolver: '127.0.0.1:53' }, { ...common, timeout: 5 })).toEqual({
      type: 'dns',
      target: '127.0.0.1:53',
      options: { query_name: 'example.org', query_type: 'AAAA' },
      agents: { region: 'eu' },
      timeout: 5,
    });
    expect(buildRequest({ type: 'dns', name: 'x.test', qtype: 'A', resolver: '::1', transport: 'tcp' }, common).options).toEqual({
      query_name: 'x.test',
      query_type: 'A',
      transport_protocol: 'tcp',
    });
  });

  it('sends the Host header, method and headers_only for http', () => {
    const r = buildRequest({ type: 'http', url: 'https://127.0.0.1:8443/x', host: 'site.test', headersOnly: true, method: 'HEAD' }, common);
    expect(r.target).toBe('https://127.0.0.1:8443/x');
    expect(r.options).toEqual({ headers: { Host: 'site.test' }, method: 'HEAD', headers_only: true });
    expect(buildRequest({ type: 'http', url: 'http://a.test/', method: 'GET' }, common).options).toEqual({});
    expect(buildRequest({ type: 'http', url: 'https://a.test/', insecure: true }, common).options).toEqual({ tls_config: { insecure_skip_verify: true } });
    expect('timeout' in r).toBe(false);
  });

  it('pins the address family the way each prober spells it', () => {
    expect(buildRequest({ type: 'icmp', target: 'a.test', ipVersion: 6, packets: 3 }, common).options).toEqual({
      preferred_ip_protocol: 'ip6',
      ip_protocol_fallback: false,
      packets: 3,
    });
    expect(buildRequest({ type: 'mtr', target: 'a.test', ipVersion: 4, packets: 2 }, common).options).toEqual({ ip_version: 4, packets: 2 });
    expect(buildRequest({ type: 'tcp', target: 'a.test:22' }, common)).toMatchObject({ type: 'tcp', target: 'a.test:22', options: {} });
  });
});
