/**
 * performance.now() marks of one round trip, taken on socket events, as blackbox's httptrace
 * does: resolve → connect → TLS handshake → first response byte → end of body.
 */
export interface Timeline {
  start: number;
  dnsDone?: number;
  connectDone?: number;
  tlsDone?: number;
  responseStart?: number;
  end?: number;
}

export type Phase = 'resolve' | 'connect' | 'tls' | 'processing' | 'transfer';
export const PHASES: readonly Phase[] = ['resolve', 'connect', 'tls', 'processing', 'transfer'];

/**
 * Seconds per phase summed over round trips, blackbox's way: a phase counts only when both its
 * marks exist, so a failed or redirected hop adds what it reached and nothing more. The first
 * hop's resolve time is the target lookup, measured before any socket exists.
 */
export function sumPhases(timelines: readonly Timeline[], firstLookupSeconds: number): Record<Phase, number> {
  const out: Record<Phase, number> = { resolve: firstLookupSeconds, connect: 0, tls: 0, processing: 0, transfer: 0 };
  timelines.forEach((t, i) => {
    const dnsDone = t.dnsDone ?? t.start;
    if (i > 0) out.resolve += (dnsDone - t.start) / 1000;
    if (t.connectDone === undefined) return;
    out.connect += (t.connectDone - dnsDone) / 1000;
    let ready = t.connectDone;
    if (t.tlsDone !== undefined) {
      out.tls += (t.tlsDone - t.connectDone) / 1000;
      ready = t.tlsDone;
    }
    if (t.responseStart === undefined) return;
    out.processing += (t.responseStart - ready) / 1000;
    if (t.end === undefined) return;
    out.transfer += (t.end - t.responseStart) / 1000;
  });
  return out;
}
