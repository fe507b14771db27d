import type { ConnectionOptions } from 'node:tls';
import type { ProbeLogger } from '../../../lib/probe/types.js';
import { type DnsTransport, ExchangeError, type ExchangeResult, type ExchangeTarget, type ExchangeTimings } from './exchange.js';
import { type DnsResponse, parseResponse } from './response.js';
import { exchangeStream } from './stream.js';
import { exchangeUdp } from './udp.js';

export interface AskResult extends ExchangeTimings {
  response: DnsResponse;
  /** The transport that gave the answer: tcp after a truncated UDP answer. */
  transport: DnsTransport;
  retriedOverTcp: boolean;
}

/** Thrown when no usable answer came; carries the phases measured so far. */
export class AskError extends ExchangeError {
  constructor(
    message: string,
    timings: ExchangeTimings,
    readonly retriedOverTcp: boolean,
  ) {
    super(message, timings);
    this.name = 'AskError';
  }
}

/**
 * Sends the query over the configured transport. A truncated UDP answer (TC bit) is asked again
 * over TCP, as a stub resolver would; blackbox_exporter 0.23 does not, and reports the truncated
 * answer. Phase timings add up over both exchanges.
 */
export async function ask(
  transport: DnsTransport,
  target: ExchangeTarget,
  query: Buffer,
  signal: AbortSignal,
  logger: ProbeLogger,
  tls?: ConnectionOptions,
): Promise<AskResult> {
  const first = await exchangeOrThrow(transport, target, query, signal, tls, undefined);
  const response = parseOrThrow(first, undefined, false);
  if (transport !== 'udp' || !response.flags.tc) {
    return { response, transport, retriedOverTcp: false, connectSeconds: first.connectSeconds, requestSeconds: first.requestSeconds };
  }
  logger.info('UDP answer truncated (TC bit), asking again over TCP', { answer_rrs: response.answer.length });
  const second = await exchangeOrThrow('tcp', target, query, signal, undefined, first);
  const retried = parseOrThrow(second, first, true);
  return {
    response: retried,
    transport: 'tcp',
    retriedOverTcp: true,
    connectSeconds: first.connectSeconds + second.connectSeconds,
    requestSeconds: first.requestSeconds + second.requestSeconds,
  };
}

async function exchangeOrThrow(
  transport: DnsTransport,
  target: ExchangeTarget,
  query: Buffer,
  signal: AbortSignal,
  tls: ConnectionOptions | undefined,
  before: ExchangeTimings | undefined,
): Promise<ExchangeResult> {
  try {
    if (transport === 'udp') return await exchangeUdp(target, query, signal);
    return await exchangeStream(target, query, signal, transport === 'tcp-tls' ? tls : undefined);
  } catch (err) {
    const timings = err instanceof ExchangeError ? err.timings : { connectSeconds: 0, requestSeconds: 0 };
    const message = before ? `the UDP answer was truncated and the TCP retry failed: ${(err as Error).message}` : (err as Error).message;
    throw new AskError(message, add(before, timings), before !== undefined);
  }
}

function parseOrThrow(result: ExchangeResult, before: ExchangeTimings | undefined, retried: boolean): DnsResponse {
  try {
    return parseResponse(result.response);
  } catch (err) {
    throw new AskError((err as Error).message, add(before, result), retried);
  }
}

function add(a: ExchangeTimings | undefined, b: ExchangeTimings): ExchangeTimings {
  return {
    connectSeconds: (a?.connectSeconds ?? 0) + b.connectSeconds,
    requestSeconds: (a?.requestSeconds ?? 0) + b.requestSeconds,
  };
}
