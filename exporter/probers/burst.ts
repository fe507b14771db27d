import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';
import { tcpTargetError } from './shared/host-port.js';

/** Pulse's burst prober: N connections to `host:port` at once, for the handshakes that stall. */
export const burstProber: Prober<'burst'> = {
  validateTarget: (target) => tcpTargetError(target),
  run: lazyRun(async () => (await import('./burst/run.js')).runBurst),
};
