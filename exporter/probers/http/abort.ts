/** Races a promise that cannot be cancelled (dns.lookup) against the probe's signal. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
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

export class ProbeAborted extends Error {
  constructor() {
    super('the probe timed out');
    this.name = 'ProbeAborted';
  }
}

export function abortError(_signal: AbortSignal): ProbeAborted {
  return new ProbeAborted();
}
