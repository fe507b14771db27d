import type { EventEmitter } from 'node:events';
import { ProbeAborted } from './abort.js';

/**
 * Resolves on `event`, rejects on 'error', 'close' before it, or the probe's abort; removes its
 * listeners either way so a pooled socket is not left with stale ones.
 */
export function once(emitter: EventEmitter, event: string, signal: AbortSignal, closeMessage = 'connection closed'): Promise<unknown[]> {
  if (signal.aborted) return Promise.reject(new ProbeAborted());
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      emitter.off(event, onEvent);
      emitter.off('error', onError);
      emitter.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    const onEvent = (...args: unknown[]) => {
      cleanup();
      resolve(args);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      cleanup();
      reject(new Error(closeMessage));
    };
    const onAbort = () => {
      cleanup();
      reject(new ProbeAborted());
    };
    emitter.on(event, onEvent);
    emitter.on('error', onError);
    if (event !== 'close') emitter.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
