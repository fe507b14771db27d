/** What `mtr --raw` reported for one TTL. */
export interface RawHop {
  /** mtr's 0-based hop index; the TTL is index + 1. */
  index: number;
  /** Probes sent (`x` lines). */
  sent: number;
  /** Replies in arrival order, each credited to the address mtr last reported for the hop. */
  replies: { rttSeconds: number; address: string | undefined }[];
  /** Addresses that answered, in the order mtr first reported them. */
  addresses: string[];
  /** Reverse DNS names (`d` lines), by address; only without `-n`. */
  hostnames: Record<string, string>;
}

/**
 * Parses mtr 0.95's raw format: `x HOP SEQ` (probe sent), `h HOP ADDR` (the address answering
 * this hop changed), `p HOP USEC SEQ` (reply), `d HOP NAME` (name of the current address).
 * Lines of other kinds (MPLS, future additions) are ignored. Hops come back sorted by index.
 */
export function parseMtrRaw(text: string): RawHop[] {
  const hops = new Map<number, RawHop & { current?: string }>();
  const hop = (index: number) => {
    let h = hops.get(index);
    if (!h) {
      h = { index, sent: 0, replies: [], addresses: [], hostnames: {} };
      hops.set(index, h);
    }
    return h;
  };
  for (const raw of text.split('\n')) {
    const parts = raw.trim().split(/\s+/);
    const [kind, hopText, a, b] = parts;
    if (!kind || hopText === undefined || !/^[0-9]+$/.test(hopText)) continue;
    const index = Number(hopText);
    switch (kind) {
      case 'x':
        hop(index).sent++;
        break;
      case 'h': {
        if (!a) break;
        const h = hop(index);
        h.current = a;
        if (!h.addresses.includes(a)) h.addresses.push(a);
        break;
      }
      case 'p': {
        if (!a || !/^[0-9]+$/.test(a) || b === undefined) break;
        const h = hop(index);
        h.replies.push({ rttSeconds: Number(a) / 1e6, address: h.current });
        break;
      }
      case 'd': {
        const h = hop(index);
        if (a && h.current) h.hostnames[h.current] = a;
        break;
      }
    }
  }
  return [...hops.values()]
    .sort((x, y) => x.index - y.index)
    .map(({ current: _current, ...h }) => h);
}
