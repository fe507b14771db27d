import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../client/requests.js';
import { fieldsFor, requestsFrom } from '../../hub/ui/src/tests.js';

describe("the page's burst, sockets and TCP ping forms", () => {
  it('builds a burst request with only the fields filled in', () => {
    expect(fieldsFor('burst').find((f) => f.name === 'connections')?.value).toBe('100');
    const [req] = requestsFrom('burst', { target: 'proxy.test:3128', connections: '200', concurrency: '20', rate: '', tls: 'true', path: '/x', proxy: '' }, { site: 'school-7' }, 30);
    expect(req).toEqual({
      type: 'burst',
      target: 'proxy.test:3128',
      options: { connections: 200, concurrency: 20, tls: true, request: { method: 'GET', path: '/x' } },
      agents: { site: 'school-7' },
      timeout: 30,
    });
    expect(() => requestsFrom('burst', { target: 'a:1', connections: '0' }, {}, undefined)).toThrow('Connections must be a whole number of at least 1');
  });

  it('asks every agent for its sockets, all or to one remote end', () => {
    expect(requestsFrom('sockets', { filter: '' }, {}, undefined)[0]).toMatchObject({ type: 'sockets', target: '*', options: {} });
    expect(requestsFrom('sockets', { filter: ' 10.0.0.1:443 ' }, {}, undefined)[0]!.target).toBe('10.0.0.1:443');
  });

  it('turns the tcp form into a TCP ping when connects are given', () => {
    expect(requestsFrom('tcp', { target: 'a.test:443', packets: '' }, {}, undefined)[0]!.options).toEqual({});
    expect(requestsFrom('tcp', { target: 'a.test:443', packets: '5' }, {}, undefined)[0]!.options).toEqual({ packets: 5 });
  });

  it('passes a proxy to the burst as proxy_url', () => {
    const req = buildRequest({ type: 'burst', target: 'a.test:80', proxy: 'http://u:p@127.0.0.1:3128', ipVersion: 4 }, { agents: {} });
    expect(req.options).toEqual({ preferred_ip_protocol: 'ip4', ip_protocol_fallback: false, proxy_url: 'http://u:p@127.0.0.1:3128' });
  });
});
