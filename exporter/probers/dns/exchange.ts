/** What every transport (udp, tcp, tcp-tls) hands back, and how it fails. */

export type DnsTransport = 'udp' | 'tcp' | 'tcp-tls';

export interface ExchangeTarget {
  address: string;
  port: number;
  family: 4 | 6;
  sourceAddress?: string;
}

export interface ExchangeTimings {
  /** Socket set-up: bind and connect, the TCP handshake, the TLS handshake. */
  connectSeconds: number;
  /** From sending the query to having the whole response. */
  requestSeconds: number;
}

export interface ExchangeResult extends ExchangeTimings {
  response: Buffer;
}

/** A failed exchange still reports how long each phase took, as blackbox sets them on error too. */
export class ExchangeError extends Error {
  constructor(
    message: string,
    readonly timings: ExchangeTimings,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

export function seconds(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 1000;
}

export function abortMessage(signal: AbortSignal): string {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError' ? 'timed out waiting for the DNS response' : 'DNS query aborted';
}
