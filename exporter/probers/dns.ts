import type { Prober } from '../../lib/probe/types.js';
import { SYSTEM_RESOLVER } from '../../lib/system-resolver.js';
import { dnsTargetError } from './dns/target.js';
import { lazyRun } from './shared/lazy-run.js';

/** One query to one resolver (the target), checked like blackbox_exporter's dns prober. */
export const dnsProber: Prober<'dns'> = {
  validateTarget: (target, options) => dnsTargetError(target, options),
  // The target `system` asks the agent's resolv.conf nameservers (dns/system.ts).
  run: lazyRun(async () => {
    const [{ runDns }, { runWithSystemResolvers }] = await Promise.all([import('./dns/run.js'), import('./dns/system.js')]);
    return (ctx) => (ctx.target === SYSTEM_RESOLVER ? runWithSystemResolvers(ctx, runDns) : runDns(ctx));
  }),
};
