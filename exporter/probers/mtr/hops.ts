import { ipBytes } from '../shared/ip-hash.js';
import { lossRatio, roundSeconds, rttStats } from '../shared/rtt-stats.js';
import type { RawHop } from './parse.js';

/** What mtr shows for a hop that never answered, in the `ip` label and in details. */
export const UNKNOWN_HOP = '???';

export interface HopAddress {
  ip: string;
  hostname?: string;
  received: number;
}

export interface HopRtt {
  last: number;
  best: number;
  avg: number;
  worst: number;
  /** Sample standard deviation, as mtr's StDev column. */
  stddev: number;
}

/** One row of the path, as `mtr --report` prints it, with RTTs in seconds and loss as a ratio. */
export interface Hop {
  /** The TTL (1 for the first router). */
  hop: number;
  /** The address that answered most often (first seen on a tie), or "???" when none did. */
  ip: string;
  hostname?: string;
  /** Every address that answered this TTL (more than one under ECMP load balancing). */
  addresses: HopAddress[];
  sent: number;
  received: number;
  loss_ratio: number;
  rtt_seconds: HopRtt | null;
  /** Mean absolute difference between consecutive RTTs (mtr's Javg). */
  jitter_seconds: number | null;
  /** Largest difference between consecutive RTTs (mtr's Jmax). */
  jitter_worst_seconds: number | null;
}

export interface Path {
  hops: Hop[];
  destination_reached: boolean;
}

/** Equal as Go's net.IP.Equal sees it (an IPv4-mapped address is its IPv4 one); names as text. */
function sameAddress(a: string, b: string): boolean {
  try {
    return ipBytes(a).join('.') === ipBytes(b).join('.');
  } catch {
    return a === b;
  }
}

/**
 * The hops mtr's report would show: up to the first hop where the destination answered; when it
 * never did, up to one hop past the last that answered (mtr's net_max), so the silence is visible.
 */
export function summarizePath(raw: readonly RawHop[], destination: string): Path {
  const byIndex = new Map(raw.map((h) => [h.index, h]));
  const probed = raw.filter((h) => h.sent > 0 || h.replies.length > 0);
  const highest = probed.length === 0 ? -1 : Math.max(...probed.map((h) => h.index));
  const reachedAt = raw.find((h) => h.addresses.some((a) => sameAddress(a, destination)));
  let count: number;
  if (reachedAt) count = reachedAt.index + 1;
  else {
    const answered = raw.filter((h) => h.replies.length > 0).map((h) => h.index);
    const last = answered.length === 0 ? -1 : Math.max(...answered);
    count = Math.min(highest + 1, last + 2);
  }
  const hops: Hop[] = [];
  for (let i = 0; i < count; i++) hops.push(summarizeHop(i, byIndex.get(i)));
  return { hops, destination_reached: reachedAt !== undefined };
}

function summarizeHop(index: number, raw: RawHop | undefined): Hop {
  const replies = raw?.replies ?? [];
  const sent = Math.max(raw?.sent ?? 0, replies.length);
  const addresses: HopAddress[] = (raw?.addresses ?? []).map((ip) => {
    const a: HopAddress = { ip, received: replies.filter((r) => r.address === ip).length };
    const name = raw?.hostnames[ip];
    if (name !== undefined) a.hostname = name;
    return a;
  });
  let primary: HopAddress | undefined;
  for (const a of addresses) if (a.received > 0 && (!primary || a.received > primary.received)) primary = a;
  const stats = rttStats(replies.map((r) => r.rttSeconds));
  const hop: Hop = {
    hop: index + 1,
    ip: primary?.ip ?? UNKNOWN_HOP,
    addresses: addresses.filter((a) => a.received > 0),
    sent,
    received: replies.length,
    loss_ratio: lossRatio(sent, replies.length),
    rtt_seconds: stats
      ? {
          last: roundSeconds(stats.last),
          best: roundSeconds(stats.min),
          avg: roundSeconds(stats.avg),
          worst: roundSeconds(stats.max),
          stddev: roundSeconds(stats.stddevSample),
        }
      : null,
    jitter_seconds: stats ? roundSeconds(stats.jitter) : null,
    jitter_worst_seconds: stats ? roundSeconds(stats.jitterMax) : null,
  };
  if (primary?.hostname !== undefined) hop.hostname = primary.hostname;
  return hop;
}

/**
 * A stable number for the route: FNV-1a 32 over each hop's answering addresses (sorted, so ECMP
 * order does not matter; "???" for a silent hop), in hop order. A route change changes it.
 */
export function pathHash(hops: readonly Hop[]): number {
  const text = hops.map((h) => (h.addresses.length === 0 ? UNKNOWN_HOP : h.addresses.map((a) => a.ip).sort().join(','))).join('>');
  let x = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    x ^= byte;
    x = Math.imul(x, 0x01000193) >>> 0;
  }
  return x;
}
