import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';
import { tcpTargetError } from './shared/host-port.js';

/** blackbox_exporter's tcp prober: target `host:port`, optional TLS and a query/response dialogue. */
export const tcpProber: Prober<'tcp'> = {
  validateTarget: (target) => tcpTargetError(target),
  run: lazyRun(async () => (await import('./tcp/run.js')).runTcp),
};
