import type { Prober } from '../../lib/probe/types.js';
import { runGrpc } from './grpc/run.js';
import { grpcTargetError } from './grpc/target.js';

/** blackbox_exporter's grpc prober: the gRPC health checking protocol, target `host:port`. */
export const grpcProber: Prober<'grpc'> = {
  validateTarget: (target) => grpcTargetError(target),
  run: runGrpc,
};
