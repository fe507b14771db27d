import type { Prober } from '../../lib/probe/types.js';
import { parseRemoteFilter } from '../sockets/filter.js';
import { lazyRun } from './shared/lazy-run.js';

/** Where the prober reads sockets; tests point it at another namespace's /proc/PID/net. */
export function createSocketsProber(netDir = '/proc/net'): Prober<'sockets'> {
  return {
    validateTarget: (target) => {
      const f = parseRemoteFilter(target);
      return typeof f === 'string' ? f : undefined;
    },
    run: lazyRun(async () => {
      const { probeSockets } = await import('./sockets/run.js');
      return (ctx) => probeSockets(ctx, netDir);
    }),
  };
}

/** netstat from the agent: its TCP sockets by state, narrowed to a remote address/port. */
export const socketsProber: Prober<'sockets'> = createSocketsProber();
