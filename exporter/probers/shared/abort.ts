import { PulseError } from '../../../lib/errors.js';
/** What a prober throws when the probe's signal fired: callers word it as "timed out while ...". */
export class ProbeAborted extends PulseError {
  constructor() {
    super('PULSE_PROBE_TIMEOUT', 'the probe timed out');
    this.name = 'ProbeAborted';
  }
}

/** Races a promise that cannot be cancelled (dns.lookup, fs.stat) against the probe's signal. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProbeAborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new ProbeAborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
