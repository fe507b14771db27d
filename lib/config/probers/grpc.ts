import Type from 'typebox';
import { TlsConfig, type UnsupportedOption } from '../common.js';

/**
 * The `grpc:` section of a module (blackbox 0.22+ upstream; Pulse from 0.28's semantics): one
 * call of the gRPC health checking protocol (grpc.health.v1.Health/Check) for `service`.
 */
export const GrpcOptions = Type.Object(
  {
    /** The service to ask about; empty asks about the server as a whole. */
    service: Type.String({ default: '' }),
    tls: Type.Boolean({ default: false }),
    tls_config: Type.Optional(TlsConfig),
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
    /** Request metadata: each key with its list of values, as gRPC's metadata.MD. */
    metadata: Type.Record(Type.String({ pattern: '^[0-9a-zA-Z_.-]+$' }), Type.Array(Type.String()), { default: {} }),
  },
  { additionalProperties: false },
);
export type GrpcOptions = Type.Static<typeof GrpcOptions>;

export const grpcUnsupported: UnsupportedOption[] = [];
