import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { GrpcDetails } from '../../../lib/probers/details/grpc.js';
import { resolveStep } from '../shared/resolve-step.js';
import { loadCertParser, tlsInfo, tlsSummary } from '../shared/tls-info.js';
import { tlsMetrics } from '../shared/tls-metrics.js';
import { readTlsFile } from '../shared/tls-options.js';
import type { healthCheck } from './health-call.js';
import { SERVING_STATUSES } from './health-proto.js';
import { GRPC_OK, grpcCodeName } from './status.js';
import { enforceConnect } from '../../policy/enforce.js';
import { parseGrpcTarget } from './target.js';
import { GRPC_METRICS } from './metrics.js';

/**
 * blackbox's grpc prober: resolve (preferred_ip_protocol), then one health Check for `service`
 * with the module's metadata, over TLS when `tls` is set. Success is SERVING. Unlike blackbox,
 * which resolves once for its metrics and lets gRPC resolve again, the call goes to the address
 * chosen (and vetted) here, with the target's name as :authority and TLS server name.
 */
export async function runGrpc(ctx: ProbeContext<'grpc'>): Promise<ProbeResult> {
  const { options: o, signal, logger } = ctx;
  const metrics = new MetricSet();
  metrics.gauge(...GRPC_METRICS.duration, 0, { phase: 'resolve' });
  metrics.gauge(...GRPC_METRICS.ssl, 0);
  metrics.gauge(...GRPC_METRICS.statusCode, 0);
  const { host, port } = parseGrpcTarget(ctx.target, o.tls);
  const details: GrpcDetails = { host, port };
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });

  const resolved = await resolveStep(ctx.policy, metrics, host, o, signal, logger);
  if (!resolved.ok) return fail(resolved.reason);
  const { chosen } = resolved;
  metrics.gauge(...GRPC_METRICS.duration, chosen.lookupSeconds, { phase: 'resolve' });
  details.ip = chosen.address;

  const t = o.tls_config ?? {};
  let tls: Parameters<typeof healthCheck>[0]['tls'];
  if (o.tls) {
    tls = { serverName: t.server_name || host, rejectUnauthorized: !t.insecure_skip_verify };
    if (t.ca_file) tls.ca = await readTlsFile(t.ca_file, 'ca_file');
    if (t.cert_file) tls.cert = await readTlsFile(t.cert_file, 'cert_file');
    if (t.key_file) tls.key = await readTlsFile(t.key_file, 'key_file');
  }
  // The port too: the agent's own ports on loopback are refused before dialing.
  enforceConnect(ctx.policy, chosen.address, port);
  const address = chosen.family === 6 ? `[${chosen.address}]:${port}` : `${chosen.address}:${port}`;
  logger.info(o.tls ? 'Dialing GRPC with TLS' : 'Dialing GRPC without TLS', { address });
  const started = performance.now();
  // @grpc/grpc-js (about 13 MB) is loaded by the first grpc probe, not by every exporter.
  const { healthCheck: call } = await import('./health-call.js');
  // Loaded before the call: the certificates are read from the socket once it answers.
  if (tls) await loadCertParser();
  const r = await call({ address, authority: `${host.includes(':') ? `[${host}]` : host}:${port}`, service: o.service, metadata: o.metadata, ...(tls ? { tls } : {}), signal });
  metrics.gauge(...GRPC_METRICS.duration, (performance.now() - started) / 1000, { phase: 'check' });
  for (const name of SERVING_STATUSES) metrics.gauge(...GRPC_METRICS.healthcheck, 0, { serving_status: name });
  if (r.servingStatus !== undefined) metrics.gauge(...GRPC_METRICS.healthcheck, 1, { serving_status: r.servingStatus });
  if (r.tlsSocket && r.code === GRPC_OK) {
    const info = tlsInfo(r.tlsSocket, t.insecure_skip_verify);
    metrics.gauge(...GRPC_METRICS.ssl, 1);
    // blackbox's grpc prober exports neither the chain expiry nor the cipher.
    tlsMetrics(metrics, info, { chainExpiry: false });
    details.tls = tlsSummary(info);
  }
  metrics.gauge(...GRPC_METRICS.statusCode, r.code);
  details.status_code = r.code;
  if (r.servingStatus !== undefined) details.serving_status = r.servingStatus;
  if (signal.aborted) return fail(`timed out waiting for the health check of ${ctx.target}`);
  if (r.code !== GRPC_OK) return fail(`health check failed: ${grpcCodeName(r.code)}: ${r.error ?? ''}`.trimEnd());
  if (r.servingStatus !== 'SERVING') return fail(`service ${JSON.stringify(o.service)} is ${r.servingStatus}`);
  logger.info('Health check succeeded', { serving_status: r.servingStatus });
  return { success: true, metrics, details };
}
