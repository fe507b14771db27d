import Type from 'typebox';
import { TlsSummary } from './tls.js';

/** The grpc prober's `details` (exporter/probers/grpc/run.ts writes them): where it went and what the health check said. */
export const GrpcDetails = Type.Object({
  host: Type.String(),
  port: Type.Number(),
  ip: Type.Optional(Type.String()),
  tls: Type.Optional(TlsSummary),
  /** The call's gRPC status code (0 = OK). */
  status_code: Type.Optional(Type.Number()),
  /** SERVING, NOT_SERVING, UNKNOWN or SERVICE_UNKNOWN. */
  serving_status: Type.Optional(Type.String()),
});
export type GrpcDetails = Type.Static<typeof GrpcDetails>;
