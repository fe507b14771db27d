import { expect, test } from 'vitest';
import { canonicalHost, embeddedIpv4 } from '../../../exporter/policy/ip.js';
import { compilePolicy } from '../../../exporter/policy/policy.js';

// Pure checks only: nothing here opens a socket (the netns test does that).
const none = compilePolicy(undefined, [9115, 7777]);

test.each([
  ['169.254.169.254', 'link-local'],
  ['0xA9FEA9FE', 'link-local'],
  ['2852039166', 'link-local'],
  ['0251.0376.0251.0376', 'link-local'],
  ['169.254.43518', 'link-local'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['[::ffff:a9fe:a9fe]', 'link-local'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['::169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['fd00:ec2::254', 'link-local'],
  ['FD00:EC2:0:0:0:0:0:254', 'link-local'],
  ['100.100.100.200', 'link-local'],
  ['0.0.0.0', 'link-local'],
  ['::', 'link-local'],
])('%s is denied by default', (host, why) => {
  expect(none.checkAddress(host, host)).toContain(why);
});

test.each(['192.0.2.1', '2001:db8::1', '127.0.0.1', '::1', '10.1.2.3'])('%s is allowed by default', (a) => {
  expect(none.checkAddress(a, a)).toBeUndefined();
});

test('the agent\'s own ports on loopback, in any spelling, unless allowed', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '2130706433']) {
    expect(none.checkPort(a, 9115)).toMatch(/this agent's own/);
    expect(none.checkPort(a, 7777)).toMatch(/this agent's own/);
    expect(none.checkPort(a, 8080)).toBeUndefined();
  }
  expect(none.checkPort('192.0.2.1', 9115)).toBeUndefined();
  expect(compilePolicy({ allow_ports: [9115] }, [9115]).checkPort('127.0.0.1', 9115)).toBeUndefined();
});

test('allow and deny lists: deny wins, a non-empty allow list allows only itself', () => {
  const p = compilePolicy({ allow_cidrs: ['192.0.2.0/24', '169.254.10.0/24'], deny_cidrs: ['192.0.2.66', '10.0.0.0/8'], deny_ports: [6379] });
  expect(p.checkAddress('a', '192.0.2.1')).toBeUndefined();
  expect(p.checkAddress('a.test', '192.0.2.66')).toBe('192.0.2.66 is in target_policy.deny_cidrs (a.test resolves to it)');
  expect(p.checkAddress('x', '::ffff:10.1.1.1')).toMatch(/deny_cidrs/);
  expect(p.checkAddress('x', '198.51.100.1')).toMatch(/not in target_policy.allow_cidrs/);
  // An operator may allow a link-local range on purpose.
  expect(p.checkAddress('x', '169.254.10.5')).toBeUndefined();
  expect(p.checkAddress('x', '169.254.169.254')).toMatch(/not in target_policy.allow_cidrs|link-local/);
  expect(p.checkPort('192.0.2.1', 6379)).toMatch(/deny_ports/);
});

test('names: exact or *.suffix, in any case, with or without the trailing dot', () => {
  const p = compilePolicy({ allow_names: ['*.example.org', 'exact.test'], deny_names: ['secret.example.org'] });
  expect(p.checkName('www.Example.org.')).toBeUndefined();
  expect(p.checkName('exact.test')).toBeUndefined();
  expect(p.checkName('secret.example.org')).toMatch(/deny_names/);
  expect(p.checkName('example.org')).toMatch(/not in target_policy.allow_names/);
  expect(p.checkName('other.test')).toMatch(/not in target_policy.allow_names/);
  // IP literals are for the CIDR lists, not the name lists.
  expect(p.checkName('192.0.2.1')).toBeUndefined();
});

test('bad list entries are refused with the key', () => {
  expect(() => compilePolicy({ deny_cidrs: ['10.0.0.0/33'] })).toThrow(/deny_cidrs: "10.0.0.0\/33"/);
  expect(() => compilePolicy({ allow_cidrs: ['example.org'] })).toThrow(/allow_cidrs/);
});

test('spellings normalise', () => {
  expect(canonicalHost('0x7f.1')).toBe('127.0.0.1');
  expect(canonicalHost('[::FFFF:7f00:1]')).toBe('::ffff:7f00:1');
  expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
  expect(embeddedIpv4('::1')).toBeUndefined();
  expect(embeddedIpv4('2001:db8::1')).toBeUndefined();
});
