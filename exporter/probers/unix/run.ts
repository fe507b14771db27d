import type { TLSSocket } from 'node:tls';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { UnixDetails } from '../../../lib/probers/details/unix.js';
import { decidePath } from '../shared/path-policy.js';
import { ProbeAborted } from '../shared/abort.js';
import { loadCertParser, tlsInfo, tlsSummary } from '../shared/tls-info.js';
import { tlsMetrics } from '../shared/tls-metrics.js';
import { tlsClientOptions } from '../shared/tls-options.js';
import { TcpConnection } from '../shared/line-connection.js';
import { dialogueMetrics, runDialogue } from '../shared/dialogue.js';
import { UNIX_METRICS } from './metrics.js';

/**
 * blackbox's unix prober (0.27+): connect to the socket at the target path (TLS optional), then
 * the tcp prober's query_response dialogue. The failure gauges exist once connected, as there.
 * Unlike blackbox, the path must be under exporter.host_checks.allowed_paths: a socket on the
 * agent's host (a container runtime's, a database's) is not for whoever can reach /probe.
 */
export async function runUnix(ctx: ProbeContext<'unix'>): Promise<ProbeResult> {
  const { options: opts, signal, logger } = ctx;
  const metrics = new MetricSet();
  const details: UnixDetails = { path: ctx.target };
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });
  const decision = await decidePath(ctx.target, ctx.exporter);
  if (!decision.ok) return fail(decision.reason);

  let conn: TcpConnection;
  try {
    logger.info(opts.tls ? 'Dialing unix with TLS' : 'Dialing unix without TLS');
    conn = await TcpConnection.dialUnix(decision.resolved, signal);
  } catch (err) {
    logger.error('Error dialing unix', { err: (err as Error).message });
    return fail(err instanceof ProbeAborted ? `timed out connecting to ${ctx.target}` : (err as Error).message);
  }
  try {
    metrics.gauge(...UNIX_METRICS.failedDueToRegex, 0);
    metrics.gauge(...UNIX_METRICS.failedDueToBytes, 0);
    const handshake = async (): Promise<void> => {
      // No host to name: verification uses tls_config.server_name, as Go's TLS config would.
      // Loaded before the handshake: the certificates are read the moment it completes.
      await loadCertParser();
      const secure: TLSSocket = await conn.startTls(await tlsClientOptions(opts.tls_config, ''));
      const info = tlsInfo(secure, opts.tls_config?.insecure_skip_verify);
      tlsMetrics(metrics, info);
      details.tls = tlsSummary(info);
    };
    if (opts.tls) {
      try {
        await handshake();
      } catch (err) {
        return fail(err instanceof ProbeAborted ? `timed out during the TLS handshake on ${ctx.target}` : (err as Error).message);
      }
    }
    logger.info('Successfully dialed');
    const outcome = await runDialogue(
      opts.query_response,
      { readLine: () => conn.readLine(), writeLine: (t) => conn.writeLine(t), readBytes: (n) => conn.readBytes(n), startTls: handshake },
      logger,
    );
    dialogueMetrics(metrics, outcome);
    details.steps = outcome.steps;
    return outcome.ok ? { success: true, metrics, details } : fail(outcome.reason);
  } finally {
    conn.close();
  }
}
