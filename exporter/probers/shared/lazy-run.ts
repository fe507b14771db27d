import type { ProberName } from '../../../lib/config/module.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';

type RunFn<P extends ProberName> = (ctx: ProbeContext<P>) => Promise<ProbeResult>;

/** A prober's `run` whose module is imported on first use, and `load` to import it ahead. */
export type LazyRun<P extends ProberName> = RunFn<P> & { load(): Promise<void> };

/**
 * A prober's code (its run module and the node modules that one imports: tls, zlib, dgram,
 * child_process...) is loaded when the exporter's config uses the prober (buildState calls `load`)
 * or when an ad-hoc test first asks for it, not at start: an agent carries only what it runs, and
 * the hub, which validates targets with the same probers, never loads their run code. After the
 * first load `run` calls the function directly.
 */
export function lazyRun<P extends ProberName>(importRun: () => Promise<RunFn<P>>): LazyRun<P> {
  let fn: RunFn<P> | undefined;
  let loading: Promise<RunFn<P>> | undefined;
  const ensure = () =>
    (loading ??= importRun().then(
      (f) => (fn = f),
      (err: unknown) => {
        // A failed import (a file missing from a broken install) is tried again next time.
        loading = undefined;
        throw err;
      },
    ));
  const run = (ctx: ProbeContext<P>) => (fn ? fn(ctx) : ensure().then((f) => f(ctx)));
  return Object.assign(run, { load: () => ensure().then(() => undefined) });
}
