import type { BurstAttempt, BurstDetails } from '../lib/probers/details/burst.js';
import type { IcmpDetails } from '../lib/probers/details/icmp.js';
import type { SocketEntry, SocketsDetails } from '../lib/probers/details/sockets.js';
import type { TcpDetails } from '../lib/probers/details/tcp.js';
import type { RunResult } from './api.js';
import { detailsOf, list, num, str } from './details-read.js';

/**
 * Readers of the socket-level probers' details (icmp, tcp, burst, sockets), through the types
 * derived from their schemas (lib/probers/details/), as client/details.ts does for dns/http/mtr.
 */

export interface PingFigures {
  address: string | undefined;
  sent: number | undefined;
  received: number | undefined;
  /** 0..1 */
  loss: number | undefined;
  /** Seconds. */
  min: number | undefined;
  avg: number | undefined;
  max: number | undefined;
  stddev: number | undefined;
  /** ICMP errors routers sent instead of replies: "from: message (icmp_seq=N)". */
  errors: string[];
}

/** An icmp row's counts, loss and RTT statistics as the prober wrote them. */
export function pingFigures(result: RunResult | null): PingFigures | undefined {
  const d = detailsOf<IcmpDetails>(result, 'icmp');
  if (!d) return undefined;
  const rtt = d.rtt_seconds ?? undefined;
  return {
    address: str(d.address),
    sent: num(d.packets_sent),
    received: num(d.packets_received),
    loss: num(d.packet_loss_ratio),
    min: num(rtt?.min),
    avg: num(rtt?.avg),
    max: num(rtt?.max),
    stddev: num(rtt?.stddev),
    errors: list(d.errors).map((e) => `${str(e.from) ?? '?'}: ${str(e.message) ?? ''} (icmp_seq=${num(e.seq) ?? '?'})`),
  };
}

export interface TcpConnectionFacts {
  /** host:port connected to, and from. */
  remote: string | undefined;
  local: string | undefined;
  /** The first line an `expect` matched. */
  banner: string | undefined;
  /** How TLS came: at connect, or by STARTTLS; undefined without TLS. */
  tlsVia: 'connect' | 'starttls' | undefined;
  steps: number;
}

/** host:port, an IPv6 address in brackets; undefined when either part is missing. */
export function formatEndpoint(e: { address?: unknown; port?: unknown } | undefined): string | undefined {
  const a = str(e?.address);
  const p = num(e?.port);
  if (a === undefined || p === undefined) return undefined;
  return a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}

/** A tcp row's connection (without `packets`): its ends, the banner, how TLS came. */
export function tcpConnection(result: RunResult | null): TcpConnectionFacts | undefined {
  const d = detailsOf<TcpDetails>(result, 'tcp');
  if (!d?.connection) return undefined;
  const via = d.tls?.via;
  return {
    remote: formatEndpoint(d.connection.remote),
    local: formatEndpoint(d.connection.local),
    banner: str(d.banner),
    tlsVia: via === 'connect' || via === 'starttls' ? via : undefined,
    steps: list(d.steps).length,
  };
}

/** A burst row's connect-time histogram: `le` the bucket's upper bound in seconds ("+Inf" last). */
export function burstHistogram(result: RunResult | null): { le: string; count: number }[] {
  return list(detailsOf<BurstDetails>(result, 'burst')?.summary?.histogram).filter((b) => typeof b.le === 'string' && num(b.count) !== undefined);
}

/** A burst row's attempts as listed (the first ones of a large burst). */
export function burstAttempts(result: RunResult | null): BurstAttempt[] {
  return list(detailsOf<BurstDetails>(result, 'burst')?.attempts).filter((a) => num(a.n) !== undefined);
}

/** A sockets row's listed sockets and how many matched in all (more than listed past max_listed). */
export function socketList(result: RunResult | null): { total: number; sockets: SocketEntry[] } {
  const d = detailsOf<SocketsDetails>(result, 'sockets');
  const sockets = list(d?.sockets).filter((s) => typeof s.local === 'object' && typeof s.remote === 'object');
  return { total: num(d?.total) ?? sockets.length, sockets };
}
