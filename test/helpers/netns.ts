/**
 * A real multi-hop IPv4 path for path-probe tests, built from network namespaces:
 *
 *   root ns ──veth── R1 ──veth── R2 ── ... ──veth── far end
 *
 * The root namespace (where the exporter under test runs) is the source, so a probe traces the
 * path exactly as it would in production. Addresses come from one random 10.X.0.0/16 block that
 * is checked to be unused here; they exist only inside the namespaces this helper creates, and
 * teardown deletes the namespaces (and with them the veths and the root's routes through them).
 */
import { existsSync } from 'node:fs';
import { randomBytes, randomInt } from 'node:crypto';
import { execa } from 'execa';

export interface NetnsPath {
  /** The address answering at each hop seen from the root namespace; the last is the far end. */
  hops: string[];
  /** The far end's address: the target to trace. */
  far: string;
  /** The source address in the root namespace. */
  source: string;
  /** Router namespace names in path order (hop 1 first). */
  routers: string[];
  farNs: string;
  /** Drops ICMP time-exceeded leaving a router: every Nth one (2 = half), or all of them. */
  dropTimeExceeded(router: number, every: number | 'all'): Promise<void>;
  /** Drops echo requests arriving at the far end, so it never answers a ping. */
  dropEchoAtFarEnd(): Promise<void>;
  /** Removes every filter rule this helper added. */
  clearDrops(): Promise<void>;
  teardown(): Promise<void>;
}

function onPath(file: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(`${d}/${file}`));
}

/** Why these tests cannot run here, or undefined when they can. Synchronous, for describe.skipIf. */
export function netnsSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CI runs as root); run the suite as root to include these tests';
  if (!onPath('ip')) return 'the ip command (Debian iproute2) is not installed';
  return undefined;
}

/** Why loss can not be injected here (no nft), or undefined. */
export function nftSkipReason(): string | undefined {
  return onPath('nft') ? undefined : 'nft (Debian nftables) is not installed: scripts/install-system-deps.sh installs it';
}

export async function ip(args: string[]): Promise<string> {
  const r = await execa('ip', args, { reject: false, stdin: 'ignore' });
  if (r.failed) throw new Error(`ip ${args.join(' ')} failed: ${String(r.stderr).trim() || r.shortMessage}`);
  return String(r.stdout);
}

async function inNs(ns: string, file: string, args: string[]): Promise<string> {
  return ip(['netns', 'exec', ns, file, ...args]);
}

/**
 * A 10.X block (X in [from, to)) with no address or route in the root namespace, so the test
 * cannot reach anything real. Helpers take separate ranges so they never pick the same block.
 */
export async function freeBlock(from = 200, to = 250): Promise<number> {
  const used = (await ip(['-4', 'addr', 'show'])) + (await ip(['-4', 'route', 'show', 'table', 'all']));
  for (let i = 0; i < 50; i++) {
    const x = randomInt(from, to);
    if (!used.includes(`10.${x}.`)) return x;
  }
  throw new Error(`no free 10.${from}-${to - 1}.0.0/16 block for a test network`);
}

/** Builds root — R1 … Rn — far end; `routers` ≥ 2 gives at least three hops. */
export async function buildNetnsPath(routers = 2): Promise<NetnsPath> {
  const skip = netnsSkipReason();
  if (skip) throw new Error(skip);
  const id = randomBytes(3).toString('hex');
  const x = await freeBlock();
  const routerNs = Array.from({ length: routers }, (_, i) => `pulse-${id}-r${i + 1}`);
  const farNs = `pulse-${id}-far`;
  const all = [...routerNs, farNs];
  const created: string[] = [];
  const net = (link: number, host: number) => `10.${x}.${link}.${host}`;
  const rootLink = `pv${id}0`;

  const teardown = async () => {
    for (const ns of created.reverse()) await execa('ip', ['netns', 'delete', ns], { reject: false });
    created.length = 0;
    // Deleting the namespace takes its veth end and so the pair; this is for a half-built path.
    await execa('ip', ['link', 'delete', rootLink], { reject: false });
  };

  try {
    for (const ns of all) {
      await ip(['netns', 'add', ns]);
      created.push(ns);
      await inNs(ns, 'ip', ['link', 'set', 'lo', 'up']);
      // Linux rate-limits ICMP errors per destination; tests count every time-exceeded, so lift it.
      await inNs(ns, 'sysctl', ['-q', '-w', 'net.ipv4.icmp_ratelimit=0']);
    }
    // Link k joins hop k-1 (root for k = 0) and hop k; on link k the left side is .1 and the right .2.
    const left = (k: number) => (k === 0 ? undefined : all[k - 1]!);
    for (let k = 0; k < all.length; k++) {
      const a = `pv${id}${k}`;
      const b = `pv${id}${k}b`;
      await ip(['link', 'add', a, 'type', 'veth', 'peer', 'name', b]);
      const l = left(k);
      if (l) await ip(['link', 'set', a, 'netns', l]);
      await ip(['link', 'set', b, 'netns', all[k]!]);
      const inLeft = (args: string[]) => (l ? inNs(l, 'ip', args) : ip(args));
      await inLeft(['addr', 'add', `${net(k, 1)}/24`, 'dev', a]);
      await inLeft(['link', 'set', a, 'up']);
      await inNs(all[k]!, 'ip', ['addr', 'add', `${net(k, 2)}/24`, 'dev', b]);
      await inNs(all[k]!, 'ip', ['link', 'set', b, 'up']);
    }
    // Root reaches every link beyond its own through R1.
    for (let k = 1; k < all.length; k++) await ip(['route', 'add', `${net(k, 0)}/24`, 'via', net(0, 2)]);
    for (let r = 0; r < routerNs.length; r++) {
      const ns = routerNs[r]!;
      await inNs(ns, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
      // Router r sits between link r (left) and link r+1 (right).
      for (let k = 0; k < r; k++) await inNs(ns, 'ip', ['route', 'add', `${net(k, 0)}/24`, 'via', net(r, 1)]);
      for (let k = r + 2; k < all.length; k++) await inNs(ns, 'ip', ['route', 'add', `${net(k, 0)}/24`, 'via', net(r + 1, 2)]);
    }
    await inNs(farNs, 'ip', ['route', 'add', 'default', 'via', net(all.length - 1, 1)]);
  } catch (err) {
    await teardown();
    throw err;
  }

  const nft = (ns: string, rules: string) => inNs(ns, 'nft', [rules]);
  const filtered = new Set<string>();
  const table = async (ns: string, hook: 'output' | 'input') => {
    if (!filtered.has(ns)) {
      await nft(ns, 'add table inet pulse_test');
      filtered.add(ns);
    }
    await nft(ns, `add chain inet pulse_test ${hook} { type filter hook ${hook} priority 0; policy accept; }`);
  };

  return {
    // Each router answers from the address facing the root, the far end from its only address.
    hops: all.map((_, k) => net(k, 2)),
    far: net(all.length - 1, 2),
    source: net(0, 1),
    routers: routerNs,
    farNs,
    async dropTimeExceeded(router, every) {
      const ns = routerNs[router - 1];
      if (!ns) throw new Error(`no router ${router}`);
      await table(ns, 'output');
      const match = every === 'all' ? '' : `numgen inc mod ${every} == 0 `;
      await nft(ns, `add rule inet pulse_test output icmp type time-exceeded ${match}drop`);
    },
    async dropEchoAtFarEnd() {
      await table(farNs, 'input');
      await nft(farNs, 'add rule inet pulse_test input icmp type echo-request drop');
    },
    async clearDrops() {
      for (const ns of filtered) await nft(ns, 'delete table inet pulse_test');
      filtered.clear();
    },
    teardown,
  };
}
