import { describe, expect, it } from 'vitest';
import { proberCatalog } from '../../lib/probers/catalog.js';
import { fieldsFor, requestsFrom, testTabs } from '../../hub/ui/src/tests.js';

describe('the page\'s test forms', () => {
  it('offers every test with its defaults filled in', () => {
    expect(testTabs(proberCatalog().tests()).map((k) => k.kind)).toEqual(['http', 'tcp', 'dns', 'ping', 'mtr', 'burst', 'sockets']);
    const dns = Object.fromEntries(fieldsFor('dns').map((f) => [f.name, f.value]));
    expect(dns).toEqual({ name: '', qtype: 'A', resolver: '', transport: 'udp' });
    expect(fieldsFor('ping').find((f) => f.name === 'packets')?.value).toBe('3');
    expect(fieldsFor('mtr').find((f) => f.name === 'packets')?.value).toBe('5');
  });

  it('turns the fields into hub requests, one per resolver', () => {
    const reqs = requestsFrom('dns', { name: ' www.test ', qtype: 'MX', resolver: '127.0.0.1:53 ::1', transport: 'udp' }, { region: 'eu' }, 5);
    expect(reqs.map((r) => r.target)).toEqual(['127.0.0.1:53', '::1']);
    expect(reqs[0]).toEqual({ type: 'dns', target: '127.0.0.1:53', options: { query_name: 'www.test', query_type: 'MX' }, agents: { region: 'eu' }, timeout: 5 });
  });

  it('maps ping to the icmp prober and the IP version choice', () => {
    expect(requestsFrom('ping', { target: 'a.test', ipVersion: '4', packets: '2' }, {}, undefined)).toEqual([
      { type: 'icmp', target: 'a.test', options: { preferred_ip_protocol: 'ip4', ip_protocol_fallback: false, packets: 2 }, agents: {} },
    ]);
    expect(requestsFrom('mtr', { target: 'a.test', ipVersion: 'auto', packets: '' }, {}, undefined)[0]!.options).toEqual({});
  });

  it('http: Host header and headers only', () => {
    expect(requestsFrom('http', { url: 'http://a.test/', host: 'b.test', method: 'GET', headersOnly: 'true' }, {}, 10)[0]!.options).toEqual({
      headers: { Host: 'b.test' },
      headers_only: true,
    });
  });

  it('names the missing or bad field', () => {
    expect(requestsFrom('dns', { name: 'x.test', resolver: ' ' }, {}, undefined).map((r) => r.target)).toEqual(['system']);
    expect(() => requestsFrom('tcp', { target: '' }, {}, undefined)).toThrow('Host:port is required');
    expect(() => requestsFrom('ping', { target: 'a.test', packets: '0' }, {}, undefined)).toThrow('Packets must be a whole number');
  });
});
