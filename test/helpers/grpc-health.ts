import { type Metadata, Server, type ServerCredentials, type ServiceDefinition } from '@grpc/grpc-js';
import {
  decodeHealthRequest,
  decodeHealthResponse,
  encodeHealthRequest,
  encodeHealthResponse,
  HEALTH_CHECK_PATH,
  type ServingStatus,
} from '../../exporter/probers/grpc/health-proto.js';

const health: ServiceDefinition = {
  Check: {
    path: HEALTH_CHECK_PATH,
    requestStream: false,
    responseStream: false,
    // An object, not the bare string: grpc-js's server takes a falsy message for a missing one.
    requestSerialize: (req: { service: string }) => encodeHealthRequest(req.service),
    requestDeserialize: (buf: Buffer) => ({ service: decodeHealthRequest(buf) }),
    responseSerialize: (s: ServingStatus) => encodeHealthResponse(s),
    responseDeserialize: (buf: Buffer) => decodeHealthResponse(buf),
  },
};

export interface HealthServer {
  server: Server;
  port: number;
  /** The metadata of every Check call, in order. */
  metadata: Metadata[];
}

/**
 * A real @grpc/grpc-js server of the gRPC health checking protocol on a free 127.0.0.1 port:
 * each service answers its status from `statuses`; an unknown one is NOT_FOUND, as the protocol says.
 */
export async function startHealthServer(creds: ServerCredentials, statuses: Record<string, ServingStatus>): Promise<HealthServer> {
  const server = new Server();
  const metadata: Metadata[] = [];
  server.addService(health, {
    Check: (call: { request: { service: string }; metadata: Metadata }, cb: (err: { code: number; details: string } | null, s: ServingStatus | null) => void) => {
      metadata.push(call.metadata);
      const s = statuses[call.request.service];
      if (s) cb(null, s);
      else cb({ code: 5, details: `unknown service ${call.request.service}` }, null);
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
  return { server, port, metadata };
}
