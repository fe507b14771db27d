import { describe, expect, it } from 'vitest';
import { AddressError, chooseAddress, type Lookup, pickAddress } from '../../../exporter/probers/shared/address.js';
import { ipBytes, ipHash } from '../../../exporter/probers/shared/ip-hash.js';

describe('probe_ip_addr_hash (FNV-1a 32 over the address bytes)', () => {
  it('hashes like blackbox_exporter 0.23', () => {
    // Values read from blackbox_exporter 0.23's probe_ip_addr_hash for the same targets; its tcp
    // and icmp probers both export 3668918509 for ::ffff:127.0.0.1 too.
    expect(ipHash('127.0.0.1')).toBe(3668918509);
    expect(ipHash('::1')).toBe(1751717746);
    expect(ipHash('::ffff:127.0.0.1')).toBe(3668918509);
  });

  it('hashes 4 bytes for IPv4 and 16 for IPv6, mapped IPv4 as IPv4', () => {
    expect(ipBytes('192.0.2.1')).toEqual([192, 0, 2, 1]);
    expect(ipBytes('::1')).toEqual([...new Array(15).fill(0), 1]);
    expect(ipBytes('2001:db8::a:b')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0, 0x0b]);
    expect(ipBytes('2001:db8::8:1')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 1]);
    expect(ipBytes('2001:db8::1')).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipBytes('::ffff:192.0.2.1')).toEqual([192, 0, 2, 1]);
    expect(ipBytes('::ffff:10.1.2.3')).toEqual([10, 1, 2, 3]);
    expect(ipBytes('1:2:3:4:5:6:1.2.3.4')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
    expect(ipBytes('fe80::1%lo')).toEqual([0xfe, 0x80, ...new Array(13).fill(0), 1]);
    expect(ipHash('::ffff:192.0.2.1')).toBe(ipHash('192.0.2.1'));
    expect(ipHash('::1')).not.toBe(ipHash('::2'));
    expect(() => ipBytes('not-an-ip')).toThrow(/not an IP address/);
  });
});

describe('address choice (blackbox chooseProtocol)', () => {
  const both = [
    { address: '127.0.0.1', family: 4 as const },
    { address: '::1', family: 6 as const },
  ];

  it('prefers the wanted family and falls back only when allowed', () => {
    expect(pickAddress(both, 6, true)?.address).toBe('::1');
    expect(pickAddress(both, 4, false)?.address).toBe('127.0.0.1');
    expect(pickAddress([both[0]!], 6, true)?.address).toBe('127.0.0.1');
    expect(pickAddress([both[0]!], 6, false)).toBeUndefined();
  });

  it("falls back to the other family's last address, as blackbox does", () => {
    // blackbox 0.23's tcp prober, ip6 preferred, on a name with 127.0.0.2 and 127.0.0.3 in its
    // hosts file, connects to 127.0.0.3.
    const v4 = [
      { address: '127.0.0.2', family: 4 as const },
      { address: '127.0.0.3', family: 4 as const },
    ];
    expect(pickAddress(v4, 6, true)?.address).toBe('127.0.0.3');
    expect(pickAddress([...v4, { address: '::1', family: 6 as const }], 6, true)?.address).toBe('::1');
  });

  it("takes the resolver's first answer when no family is preferred (mtr)", () => {
    expect(pickAddress(both, 0, false)?.address).toBe('127.0.0.1');
    expect(pickAddress([...both].reverse(), 0, false)?.address).toBe('::1');
  });

  const never = new AbortController().signal;
  const v4only: Lookup = async () => [{ address: '192.0.2.10', family: 4 }];

  it('resolves names with the given lookup and takes literals as they are', async () => {
    expect(await chooseAddress(undefined, 'v4.test', 6, true, never, v4only)).toMatchObject({ address: '192.0.2.10', family: 4 });
    expect(await chooseAddress(undefined, '::1', 6, false, never, v4only)).toMatchObject({ address: '::1', family: 6 });
  });

  it('says why no address was chosen', async () => {
    const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AddressError);
    const missing = await failure(chooseAddress(undefined, 'v4.test', 6, false, never, v4only));
    expect(missing).toBeInstanceOf(AddressError);
    expect(missing).toMatchObject({ failure: 'no-address', message: 'no IPv6 address found', literalFamily: undefined });
    expect(await failure(chooseAddress(undefined, '::1', 4, false, never, v4only))).toMatchObject({ failure: 'no-address', literalFamily: 6 });
    expect(await failure(chooseAddress(undefined, 'none.test', 6, true, never, async () => []))).toMatchObject({ message: 'no address found' });
    const refused = Object.assign(new Error('getaddrinfo ENOTFOUND nx.test'), { code: 'ENOTFOUND' });
    const lookupFailed = await failure(
      chooseAddress(undefined, 'nx.test', 6, true, never, async () => {
        throw refused;
      }),
    );
    expect(lookupFailed).toMatchObject({ failure: 'lookup', message: 'getaddrinfo ENOTFOUND nx.test', cause: refused });
    const ctl = new AbortController();
    const pending = failure(chooseAddress(undefined, 'slow.test', 6, true, ctl.signal, () => new Promise(() => {})));
    ctl.abort();
    expect(await pending).toMatchObject({ failure: 'aborted' });
  });
});
