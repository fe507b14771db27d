import type { Prober } from '../../lib/probe/types.js';
import { SYSTEM_RESOLVER } from '../../lib/system-resolver.js';
import { runWithSystemResolvers } from './dns/system.js';
import { dnsTargetError } from './dns/target.js';
import { runDns } from './dns/run.js';

/** One query to one resolver (the target), checked like blackbox_exporter's dns prober. */
export const dnsProber: Prober<'dns'> = {
  validateTarget: (target, options) => dnsTargetError(target, options),
  // The target `system` asks the agent's resolv.conf nameservers (dns/system.ts).
  run: (ctx) => (ctx.target === SYSTEM_RESOLVER ? runWithSystemResolvers(ctx, runDns) : runDns(ctx)),
};
