import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../client/requests.js';
import { measurementTitle } from '../../client/title.js';

describe('measurementTitle', () => {
  it('names what a dns measurement asked, from the request the CLI and the page build', () => {
    const req = buildRequest({ type: 'dns', name: 'www.example.org', qtype: 'aaaa', resolver: '192.0.2.53:53' }, { agents: {} });
    expect(measurementTitle(req)).toBe('dns www.example.org AAAA @ 192.0.2.53:53');
  });

  it('is the type and target for the others', () => {
    expect(measurementTitle({ type: 'tcp', target: '127.0.0.1:80', options: {} })).toBe('tcp 127.0.0.1:80');
  });
});
