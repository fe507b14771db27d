import { PulseError } from '../../../lib/errors.js';
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
export class ExchangeError extends PulseError {
  constructor(
    message: string,
    readonly timings: ExchangeTimings,
    options?: ErrorOptions,
  ) {
    super('PULSE_DNS_EXCHANGE', message, options);
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

/**
 * Settles an exchange once: the first of answer, failure or the probe's abort wins; the socket is
 * let go and the phase timings taken at that moment, so a failed exchange reports them too.
 * Undefined when the probe was already aborted (the exchange is rejected then).
 */
export function settleExchange(
  signal: AbortSignal,
  timings: () => ExchangeTimings,
  release: () => void,
  resolve: (result: ExchangeResult) => void,
  reject: (err: ExchangeError) => void,
): ((err: Error | undefined, response?: Buffer) => void) | undefined {
  let settled = false;
  const finish = (err: Error | undefined, response?: Buffer) => {
    if (settled) return;
    settled = true;
    signal.removeEventListener('abort', onAbort);
    const t = timings();
    release();
    if (err) reject(new ExchangeError(err.message, t));
    else resolve({ response: response!, ...t });
  };
  const onAbort = () => finish(new Error(abortMessage(signal)));
  if (signal.aborted) {
    onAbort();
    return undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return finish;
}
