import type { Prober } from '../../lib/probe/types.js';
import { dnsTargetError } from './dns/target.js';
import { lazyRun } from './shared/lazy-run.js';

/** One query to one resolver (the target), checked like blackbox_exporter's dns prober. */
export const dnsProber: Prober<'dns'> = {
  validateTarget: (target, options) => dnsTargetError(target, options),
  run: lazyRun(async () => (await import('./dns/run.js')).runDnsProbe),
};
