import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';
import { grpcTargetError } from './grpc/target.js';

/** blackbox_exporter's grpc prober: the gRPC health checking protocol, target `host:port`. */
export const grpcProber: Prober<'grpc'> = {
  validateTarget: (target) => grpcTargetError(target),
  run: lazyRun(async () => (await import('./grpc/run.js')).runGrpc),
};
