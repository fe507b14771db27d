import { type ChannelCredentials, type ChannelOptions, Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { TLSSocket } from 'node:tls';
import { decodeHealthResponse, encodeHealthRequest, HEALTH_CHECK_PATH, type ServingStatus } from './health-proto.js';

export interface HealthCallParams {
  /** Where to connect: the resolved address (bracketed if IPv6) and port. */
  address: string;
  /** The name the call is for: :authority, and the TLS server name unless tls.serverName says otherwise. */
  authority: string;
  service: string;
  metadata: Record<string, string[]>;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; serverName: string; rejectUnauthorized: boolean };
  signal: AbortSignal;
}

export interface HealthCallResult {
  /** gRPC status code of the call (0 = OK: the server answered). */
  code: number;
  servingStatus?: ServingStatus | `${number}`;
  error?: string;
  /** The TLS socket of the connection, when TLS was used and the handshake completed. */
  tlsSocket?: TLSSocket;
}

/**
 * One grpc.health.v1.Health/Check call with @grpc/grpc-js, on a channel of its own that is
 * closed afterwards. The TLS socket is caught on its way into the channel, so the certificate
 * and version can be reported as blackbox does.
 */
export function healthCheck(p: HealthCallParams): Promise<HealthCallResult> {
  let tlsSocket: TLSSocket | undefined;
  const creds = p.tls ? watchTls(tlsCredentials(p.tls), (s) => (tlsSocket = s)) : credentials.createInsecure();
  const options: ChannelOptions = { 'grpc.default_authority': p.authority, 'grpc.max_reconnect_backoff_ms': 1000, 'grpc.enable_retries': 0 };
  if (p.tls) options['grpc.ssl_target_name_override'] = p.tls.serverName;
  const client = new Client(p.address, creds, options);
  const md = new Metadata();
  for (const [k, values] of Object.entries(p.metadata)) for (const v of values) md.add(k, v);
  return new Promise<HealthCallResult>((resolve) => {
    const done = (r: HealthCallResult) => {
      p.signal.removeEventListener('abort', onAbort);
      client.close();
      if (tlsSocket) r.tlsSocket = tlsSocket;
      resolve(r);
    };
    const call = client.makeUnaryRequest(
      HEALTH_CHECK_PATH,
      (service: string) => encodeHealthRequest(service),
      (buf: Buffer) => decodeHealthResponse(buf),
      p.service,
      md,
      // Fail-fast (grpc-js's default for calls): a refused connection is UNAVAILABLE at once, as in Go.
      {},
      (err: ServiceError | null, servingStatus?: ServingStatus | `${number}`) => {
        if (err) done({ code: err.code, error: err.details || err.message });
        else done({ code: status.OK, ...(servingStatus !== undefined ? { servingStatus } : {}) });
      },
    );
    const onAbort = () => call.cancel();
    if (p.signal.aborted) onAbort();
    else p.signal.addEventListener('abort', onAbort, { once: true });
  });
}

function tlsCredentials(t: NonNullable<HealthCallParams['tls']>): ChannelCredentials {
  return credentials.createSsl(t.ca ?? null, t.key ?? null, t.cert ?? null, { rejectUnauthorized: t.rejectUnauthorized });
}

/** The same credentials, reporting the TLS socket each connection makes. */
function watchTls(inner: ChannelCredentials, onSocket: (s: TLSSocket) => void): ChannelCredentials {
  const outer = Object.create(inner) as ChannelCredentials;
  outer._createSecureConnector = (...args) => {
    const connector = inner._createSecureConnector(...args);
    return {
      connect: async (socket) => {
        const r = await connector.connect(socket);
        if (r.socket instanceof TLSSocket) onSocket(r.socket);
        return r;
      },
      waitForReady: () => connector.waitForReady(),
      getCallCredentials: () => connector.getCallCredentials(),
      destroy: () => connector.destroy(),
    };
  };
  return outer;
}
