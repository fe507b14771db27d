import { describe, expect, test } from 'vitest';
import { redactSecrets, redactUrl } from '../../lib/redact.js';

describe('redactSecrets', () => {
  test('hides secret keys at any depth, secret headers and proxy credentials; keeps the rest', () => {
    const input = {
      bearer_token: 'tok',
      authorization: { type: 'Bearer', credentials: 'cred' },
      basic_auth: { username: 'u', password: 'p' },
      headers: { authorization: 'x', Cookie: 'c', 'Proxy-Authorization': 'y', Accept: 'text/plain' },
      proxy_url: 'http://user:pw@proxy.test:3128/',
      list: [{ password: 'in-array' }],
      timeout: 5,
    };
    expect(redactSecrets(input)).toEqual({
      bearer_token: '<secret>',
      authorization: { type: 'Bearer', credentials: '<secret>' },
      basic_auth: { username: 'u', password: '<secret>' },
      headers: { authorization: '<secret>', Cookie: '<secret>', 'Proxy-Authorization': '<secret>', Accept: 'text/plain' },
      proxy_url: 'http://<secret>@proxy.test:3128/',
      list: [{ password: '<secret>' }],
      timeout: 5,
    });
    // A copy: the original (sent to agents) keeps its values.
    expect(input.basic_auth.password).toBe('p');
  });

  test('hides the secrets of blackbox 0.24+ options: http_headers secrets, proxy_connect_header, grpc metadata', () => {
    const input = {
      http_headers: { 'X-Key': { values: ['v'], secrets: ['s'], files: ['/f'] } },
      proxy_connect_header: { 'Proxy-Authorization': ['Bearer t'] },
      metadata: { authorization: ['Bearer t'], tenant: ['a'] },
      oauth2: { client_id: 'c', client_secret: 's', token_url: 'https://t.test/' },
    };
    expect(redactSecrets(input)).toEqual({
      http_headers: { 'X-Key': { values: ['v'], secrets: '<secret>', files: ['/f'] } },
      proxy_connect_header: '<secret>',
      metadata: { authorization: '<secret>', tenant: ['a'] },
      oauth2: { client_id: 'c', client_secret: '<secret>', token_url: 'https://t.test/' },
    });
  });

  test('redactUrl only touches the userinfo', () => {
    expect(redactUrl('https://a:b@h.test/p@x')).toBe('https://<secret>@h.test/p@x');
    expect(redactUrl('h.test:80')).toBe('h.test:80');
  });
});
