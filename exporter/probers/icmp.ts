import type { Prober } from '../../lib/probe/types.js';
import { isHostOrIp } from '../../lib/target.js';
import { type Lookup, systemLookup } from './shared/address.js';
import { findExecutable, type ToolCommand } from './shared/command.js';
import { lazyRun } from './shared/lazy-run.js';

export interface IcmpProberDeps {
  ping?: ToolCommand;
  lookup?: Lookup;
}

export function createIcmpProber(deps: IcmpProberDeps = {}): Prober<'icmp'> {
  const ping = deps.ping ?? { file: 'ping' };
  const lookup = deps.lookup ?? systemLookup;
  return {
    validateTarget(target) {
      if (!isHostOrIp(target)) return `"${target}" is not a valid hostname or IP address`;
      return undefined;
    },
    async unavailable() {
      if (!(await findExecutable(ping.file))) return `${ping.file} not found: install iputils-ping (Debian) for the icmp prober`;
      return undefined;
    },
    run: lazyRun(async () => {
      const { probeIcmp } = await import('./icmp/run.js');
      return (ctx) => probeIcmp(ctx, ping, lookup);
    }),
  };
}

export const icmpProber: Prober<'icmp'> = createIcmpProber();
