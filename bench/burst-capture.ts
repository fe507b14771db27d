/**
 * The kernel's view of a burst's handshakes, from `tcpdump -tt -nn` text: per client port, the
 * time from its first SYN to the SYN-ACK that answered it. Pure, so it is tested on a fixture.
 */

const LINE = /^(\d+)\.(\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[(S|S\.)\]/;

/** Handshake seconds by client port, for connections to `serverPort`. */
export function handshakesFromCapture(text: string, serverPort: number): Map<number, number> {
  const synAt = new Map<number, number>();
  const out = new Map<number, number>();
  // Epoch seconds with nanoseconds do not fit a double: times are taken from the first second seen.
  let base: number | undefined;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    base ??= Number(m[1]);
    const at = Number(m[1]) - base + Number(`0.${m[2]}`);
    const from = Number(m[4]);
    const to = Number(m[6]);
    if (m[7] === 'S' && to === serverPort && !synAt.has(from)) synAt.set(from, at);
    else if (m[7] === 'S.' && from === serverPort && !out.has(to)) {
      const sent = synAt.get(to);
      if (sent !== undefined) out.set(to, at - sent);
    }
  }
  return out;
}

export interface ErrorFigures {
  matched: number;
  /** Median of |Pulse − kernel|, in ms. */
  medianAbsMs: number;
  p99AbsMs: number;
  maxAbsMs: number;
  /** Median of Pulse − kernel (signed: Pulse's own overhead), in ms. */
  medianMs: number;
}

/** Pulse's connect time per local port against the kernel's, for the ports both saw. */
export function compareToKernel(pulse: readonly { local_port?: number; connect?: number }[], kernel: Map<number, number>): ErrorFigures {
  const diffs: number[] = [];
  for (const a of pulse) {
    if (a.local_port === undefined || a.connect === undefined) continue;
    const k = kernel.get(a.local_port);
    if (k !== undefined) diffs.push((a.connect - k) * 1000);
  }
  const abs = diffs.map(Math.abs).sort((x, y) => x - y);
  const signed = [...diffs].sort((x, y) => x - y);
  const q = (v: number[], p: number) => (v.length === 0 ? Number.NaN : v[Math.min(v.length - 1, Math.floor(p * v.length))]!);
  return { matched: diffs.length, medianAbsMs: q(abs, 0.5), p99AbsMs: q(abs, 0.99), maxAbsMs: abs.at(-1) ?? Number.NaN, medianMs: q(signed, 0.5) };
}
