import { expect, test } from 'vitest';
import { decideAuth, isLoopbackHost } from '../../../hub/auth/required.js';

test('loopback hosts', () => {
  for (const h of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(h), h).toBe(true);
  for (const h of ['0.0.0.0', '::', '192.0.2.1', 'hub.example.org', '::ffff:127.0.0.1x']) expect(isLoopbackHost(h), h).toBe(false);
});

test('on by default off loopback; required: true wins everywhere', () => {
  expect(decideAuth(undefined, '0.0.0.0')).toEqual({ required: true });
  expect(decideAuth(undefined, '127.0.0.1')).toEqual({ required: false });
  expect(decideAuth({ required: true }, '127.0.0.1')).toEqual({ required: true });
});

test('off on a network address needs the acknowledgement, and then warns', () => {
  expect(() => decideAuth({ required: false }, '0.0.0.0')).toThrow(/allow_unauthenticated_network_access/);
  const d = decideAuth({ required: false, allow_unauthenticated_network_access: true }, '0.0.0.0');
  expect(d.required).toBe(false);
  expect(d.warning).toMatch(/requires no authentication/);
  expect(decideAuth({ required: false }, '::1')).toEqual({ required: false });
});
