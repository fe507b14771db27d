import { PulseError } from '../../../lib/errors.js';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { type ProxyParams, tunnel } from '../shared/proxy-tunnel.js';
import { once } from '../shared/wait.js';
import { ProbeAborted } from '../shared/abort.js';
import { enforceConnect, PolicyError } from '../../policy/enforce.js';
import type { TargetPolicy } from '../../../lib/probe/target-policy.js';
import type { BurstAttempt } from '../../../lib/probers/details/burst.js';
import { classifyFailure } from './failure.js';

/** Where and how every attempt of one burst connects; the same for all of them. */
export interface AttemptPlan {
  address: string;
  port: number;
  family: 4 | 6;
  localAddress?: string;
  /** TLS client options (SNI, verification), or undefined without TLS. */
  tls?: ConnectionOptions;
  /** The request line and headers to send, or undefined to only connect. */
  request?: string;
  proxy?: ProxyParams;
  /** The host CONNECT asks the proxy for (the target's name, so the proxy resolves it). */
  tunnelHost: string;
  attemptTimeoutMs: number;
  /** The probe's policy: the address each attempt actually connected to is checked against it. */
  policy: TargetPolicy | undefined;
}

/** One connection of a burst, as the details list it (its schema: lib/probers/details/burst.ts). */
export type AttemptRecord = BurstAttempt;

/** Which step an attempt was in, so a failure is attributed to it (TLS error vs refused). */
export type AttemptStage = 'connect' | 'proxy' | 'tls' | 'request';

/**
 * Opens one connection, times each step in the socket's own event handlers (so later awaits do
 * not move time into the handshake), and always destroys the socket before resolving.
 */
export async function runAttempt(
  n: number,
  plan: AttemptPlan,
  burstStart: number,
  signal: AbortSignal,
  localPort: number | undefined,
  track: (s: Socket) => () => void,
): Promise<AttemptRecord> {
  const began = performance.now();
  const rec: AttemptRecord = { n, start: round((began - burstStart) / 1000), outcome: 'ok' };
  // One controller and one timer per attempt: AbortSignal.any/timeout cost far more per call,
  // and a burst makes thousands of attempts whose timing must not suffer from the bookkeeping.
  const ac = new AbortController();
  const both = ac.signal;
  const abort = () => ac.abort();
  const timer = setTimeout(abort, plan.attemptTimeoutMs);
  if (signal.aborted) ac.abort();
  else signal.addEventListener('abort', abort, { once: true });
  const hop = plan.proxy ?? { host: plan.address, port: plan.port };
  let stage: AttemptStage = 'connect';
  let socket = dial(plan, hop, localPort);
  // Each step listens for errors itself; this one only keeps an error between two steps (or on the
  // raw socket under TLS) from being an unhandled 'error' event, which would end the process.
  socket.on('error', () => {});
  let connectedAt = 0;
  socket.once('connect', () => {
    connectedAt = performance.now();
  });
  const untrack = track(socket);
  try {
    await once(socket, 'connect', both, 'connection closed during the handshake');
    // The address actually connected (a proxy named by host was resolved by the socket).
    enforceConnect(plan.policy, socket.remoteAddress ?? '', socket.remotePort ?? hop.port);
    rec.local_port = socket.localPort;
    if (plan.proxy) {
      stage = 'proxy';
      await tunnel(socket, plan.tunnelHost, plan.port, plan.proxy, both, () => {});
      connectedAt = performance.now();
    }
    rec.connect = round((connectedAt - began) / 1000);
    let readyAt = connectedAt;
    if (plan.tls) {
      stage = 'tls';
      const secure = tlsConnect({ ...plan.tls, socket });
      secure.on('error', () => {});
      let secureAt = 0;
      secure.once('secureConnect', () => {
        secureAt = performance.now();
      });
      socket = secure;
      untrack();
      track(secure);
      await once(secure, 'secureConnect', both, 'connection closed during the TLS handshake');
      rec.tls = round((secureAt - connectedAt) / 1000);
      readyAt = secureAt;
    }
    if (plan.request !== undefined) {
      stage = 'request';
      await requestStep(socket, plan.request, readyAt, both, rec);
    }
  } catch (err) {
    // A refused address fails the whole burst with its reason, not one attempt.
    if (err instanceof PolicyError) throw err;
    const timedOut = both.aborted || err instanceof ProbeAborted;
    rec.outcome = classifyFailure(err, stage, timedOut);
    rec.error = timedOut ? `no answer within ${stage === 'connect' ? 'the handshake' : `the ${stage} step`} before the deadline` : errorText(err);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', abort);
    socket.destroy();
  }
  return rec;
}

/** The TCP connection to the target, or to the proxy (which then resolves the target itself). */
function dial(plan: AttemptPlan, hop: { host: string; port: number }, localPort: number | undefined): Socket {
  return netConnect({
    host: hop.host,
    port: hop.port,
    ...(plan.proxy ? {} : { family: plan.family }),
    ...(plan.localAddress !== undefined ? { localAddress: plan.localAddress } : {}),
    ...(localPort !== undefined ? { localPort } : {}),
  });
}

/** Sends the request and records the time to the first byte and the status line's code. */
async function requestStep(socket: Socket, request: string, readyAt: number, signal: AbortSignal, rec: AttemptRecord): Promise<void> {
  const sentAt = Math.max(performance.now(), readyAt);
  const first = await firstChunk(socket, request, signal);
  rec.first_byte = round((first.at - sentAt) / 1000);
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(first.chunk.subarray(0, 64).toString('latin1'));
  if (!status) throw new NotHttp();
  rec.status = Number(status[1]);
}

class NotHttp extends PulseError {
  constructor() {
    super('PULSE_NOT_HTTP', 'the answer is not HTTP');
  }
}

/** Writes the request and resolves with the first chunk of the answer and when it came. */
function firstChunk(socket: Socket, request: string, signal: AbortSignal): Promise<{ chunk: Buffer; at: number }> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error, chunk?: Buffer, at?: number) => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ chunk: chunk!, at: at! });
    };
    const onData = (chunk: Buffer) => done(undefined, chunk, performance.now());
    const onError = (err: Error) => done(err);
    const onClose = () => done(Object.assign(new Error('connection closed before an answer'), { code: 'ECONNRESET' }));
    const onAbort = () => done(new ProbeAborted());
    if (signal.aborted) return onAbort();
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.resume();
    socket.write(request);
  });
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = e.code && !e.message.includes(e.code) ? `${e.code}: ${e.message}` : (e.message ?? String(err));
  return text.slice(0, 300);
}

function round(s: number): number {
  return Math.round(s * 1e9) / 1e9;
}
