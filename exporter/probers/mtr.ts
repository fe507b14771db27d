/**
 * The mtr prober: traces the path to a host with the `mtr` binary (Debian mtr-tiny) and reports
 * every hop as mtr's report does (loss, RTT statistics, jitter), as metrics and as structured hops.
 */
import { isIP } from 'node:net';
import type { Prober } from '../../lib/probe/types.js';
import { isHostOrIp } from '../../lib/target.js';
import { mtrUnavailable } from './mtr/availability.js';
import { SharedExclusiveLock } from './mtr/lock.js';
import { type Lookup, systemLookup } from './shared/address.js';
import type { ToolCommand } from './shared/command.js';
import { lazyRun } from './shared/lazy-run.js';

export interface MtrProberDeps {
  mtr?: ToolCommand;
  mtrPacket?: ToolCommand;
  lookup?: Lookup;
}

export function createMtrProber(deps: MtrProberDeps = {}): Prober<'mtr'> {
  const mtr = deps.mtr ?? { file: 'mtr' };
  const mtrPacket = deps.mtrPacket ?? { file: 'mtr-packet' };
  const lookup = deps.lookup ?? systemLookup;
  const lock = new SharedExclusiveLock();
  return {
    validateTarget(target, options) {
      if (!isHostOrIp(target)) return `"${target}" is not a valid hostname or IP address`;
      const literal = isIP(target.split('%')[0]!);
      if (literal !== 0 && options.ip_version !== undefined && literal !== options.ip_version) {
        return `${target} is an IPv${literal} address but the module traces IPv${options.ip_version} only (ip_version)`;
      }
      return undefined;
    },
    unavailable: () => mtrUnavailable(mtr, mtrPacket),
    run: lazyRun(async () => {
      const { probeMtr } = await import('./mtr/run.js');
      return (ctx) => probeMtr(ctx, mtr, lookup, lock);
    }),
  };
}

export const mtrProber: Prober<'mtr'> = createMtrProber();
