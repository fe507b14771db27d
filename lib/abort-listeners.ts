/**
 * Abort callbacks kept in a Set per signal behind ONE real listener. Node's EventTarget walks
 * its whole listener list on every addEventListener and removeEventListener (to find
 * duplicates), so a fan-out whose 1,000 calls each listened on the shared deadline cost O(n²);
 * a Set makes adding and removing O(1).
 */
const callbacks = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts (at once if it already has); returns the unsubscribe. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  let set = callbacks.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    callbacks.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        callbacks.delete(signal);
        for (const cb of fresh) cb();
        fresh.clear();
      },
      { once: true },
    );
  }
  const mine = set;
  // A wrapper per subscription: the same function subscribed twice is called twice, as with
  // two addEventListener calls on different signals; unsubscribing removes only this one.
  const entry = () => fn();
  mine.add(entry);
  return () => {
    mine.delete(entry);
  };
}
