import { describe, expect, it } from 'vitest';
import { canonicalHost, cidrList, inList } from '../../../exporter/policy/ip.js';

describe('inList keeps its answers per list', () => {
  it('answers each list for itself, the same on every call', () => {
    const a = cidrList(['10.0.0.0/8', 'fd00::/8'], 'a');
    const b = cidrList(['192.168.0.0/16'], 'b');
    for (let round = 0; round < 3; round++) {
      expect(inList(a, '10.1.2.3')).toBe(true);
      expect(inList(b, '10.1.2.3')).toBe(false);
      expect(inList(a, '192.168.1.1')).toBe(false);
      expect(inList(b, '192.168.1.1')).toBe(true);
      expect(inList(a, 'fd00::1')).toBe(true);
      // IPv4-mapped IPv6 matches the IPv4 rule, as BlockList itself answers.
      expect(inList(a, '::ffff:10.0.0.1')).toBe(true);
      expect(inList(a, 'not-an-ip')).toBe(false);
    }
  });

  it('stays right past the memo size', () => {
    const list = cidrList(['10.0.0.0/24'], 'x');
    for (let i = 0; i < 5000; i++) {
      const addr = `10.0.${(i >> 8) & 255}.${i & 255}`;
      expect(inList(list, addr)).toBe(i < 256);
    }
  });

  it('leaves a dotted quad as it is and still rewrites other IPv4 spellings', () => {
    expect(canonicalHost('127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalHost('0x7f000001')).toBe('127.0.0.1');
    expect(canonicalHost('0251.0376.0251.0376')).toBe('169.254.169.254');
  });
});
