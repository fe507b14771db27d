import type { TcpPingReply } from '../../../lib/probers/details/tcp.js';
import { connect as netConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TcpOptions } from '../../../lib/config/probers/tcp.js';
import { parseDuration } from '../../../lib/duration.js';
import type { MetricSet } from '../../../lib/probe/metrics.js';
import { lossRatio, roundSeconds, rttStats } from '../shared/rtt-stats.js';

export interface TcpPingTarget {
  address: string;
  port: number;
  family: 4 | 6;
  localAddress?: string;
}

export type { TcpPingReply };

/**
 * `packets` connects, `interval` apart, each closed at once. A SYN-ACK or an RST is an answer
 * (the RTT of the handshake); silence for `packet_timeout` is a lost packet, as a lost echo is.
 */
export async function tcpPing(t: TcpPingTarget, o: TcpOptions, signal: AbortSignal): Promise<TcpPingReply[]> {
  const interval = parseDuration(o.interval ?? '1s') * 1000;
  const wait = parseDuration(o.packet_timeout ?? '1s') * 1000;
  const replies: TcpPingReply[] = [];
  const started = performance.now();
  for (let seq = 0; seq < (o.packets ?? 1); seq++) {
    const due = started + seq * interval - performance.now();
    if (due > 0) {
      try {
        await sleep(due, undefined, { signal, ref: false });
      } catch {
        break;
      }
    }
    if (signal.aborted) break;
    replies.push(await connectOnce(seq, t, wait, signal));
  }
  return replies;
}

function connectOnce(seq: number, t: TcpPingTarget, waitMs: number, signal: AbortSignal): Promise<TcpPingReply> {
  return new Promise((resolve) => {
    const began = performance.now();
    const socket = netConnect({ host: t.address, port: t.port, family: t.family, ...(t.localAddress ? { localAddress: t.localAddress } : {}) });
    const done = (r: TcpPingReply) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => done({ seq, result: 'lost' });
    const timer = setTimeout(() => done({ seq, result: 'lost' }), waitMs);
    timer.unref();
    socket.once('connect', () => done({ seq, rtt: roundSeconds((performance.now() - began) / 1000), result: 'open' }));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done({ seq, rtt: roundSeconds((performance.now() - began) / 1000), result: 'refused' });
      else done({ seq, result: 'error', error: err.code ?? err.message });
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** probe_tcp_ping_*: the icmp prober's multi-packet series, for TCP handshakes. */
export function tcpPingMetrics(m: MetricSet, replies: readonly TcpPingReply[]): MetricSet {
  const rtts = replies.flatMap((r) => (r.rtt === undefined ? [] : [r.rtt]));
  m.gauge('probe_tcp_ping_packets_sent', 'TCP ping connects attempted (SYNs sent) in this probe', replies.length);
  m.gauge('probe_tcp_ping_packets_received', 'TCP ping connects answered (SYN-ACK or RST) in this probe', rtts.length);
  m.gauge('probe_tcp_ping_packet_loss_ratio', 'Share of TCP ping connects without an answer, 0 to 1', lossRatio(replies.length, rtts.length));
  const stats = rttStats(rtts);
  if (stats) {
    const help = 'TCP handshake round-trip time in this probe by statistic, in seconds';
    for (const stat of ['min', 'avg', 'max', 'stddev'] as const) m.gauge('probe_tcp_ping_rtt_seconds', help, roundSeconds(stats[stat]), { stat });
  }
  return m;
}
