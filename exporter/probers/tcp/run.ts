import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { ProbeAborted } from '../shared/abort.js';
import { AddressError, chooseAddress, familyOf, type IpFamily } from '../shared/address.js';
import { ipHash } from '../shared/ip-hash.js';
import type { TcpDetails } from '../../../lib/probers/details/tcp.js';
import { loadCertParser, tlsInfo, type TlsInfo, tlsSummary } from '../shared/tls-info.js';
import { tlsMetrics } from '../shared/tls-metrics.js';
import { TcpConnection } from '../shared/line-connection.js';
import { dialogueMetrics, runDialogue } from '../shared/dialogue.js';
import { initialTcpMetrics } from './metrics.js';
import { tcpPing, tcpPingMetrics } from './ping.js';
import { parseTcpTarget } from '../shared/host-port.js';
import { lookupTimeMetric, resolutionMetrics } from '../shared/resolution-metrics.js';
import { tlsClientOptions } from '../shared/tls-options.js';

/** blackbox_exporter 0.23's tcp prober: resolve, connect (TLS optional), then the dialogue. */
export async function runTcp(ctx: ProbeContext<'tcp'>): Promise<ProbeResult> {
  const { options: opts, signal, logger } = ctx;
  const metrics = initialTcpMetrics();
  const { host, port } = parseTcpTarget(ctx.target);
  const details: TcpDetails = { host, port };
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });

  if (opts.source_ip_address !== undefined && isIP(opts.source_ip_address) === 0) {
    return fail(`source_ip_address "${opts.source_ip_address}" is not an IP address`);
  }

  logger.info('Resolving target address', { target: host, ip_protocol: opts.preferred_ip_protocol });
  const resolveStarted = performance.now();
  let chosen: Awaited<ReturnType<typeof chooseAddress>>;
  try {
    chosen = await chooseAddress(ctx.policy, host, familyOf(opts.preferred_ip_protocol), opts.ip_protocol_fallback, signal);
  } catch (err) {
    lookupTimeMetric(metrics, (performance.now() - resolveStarted) / 1000);
    logger.error('Error resolving address', { err: (err as Error).message });
    return fail(err instanceof AddressError && err.failure === 'aborted' ? `timed out resolving ${host}` : (err as Error).message);
  }
  logger.info('Resolved target address', { target: host, ip: chosen.address });
  resolutionMetrics(metrics, { lookupSeconds: chosen.lookupSeconds, family: chosen.family, hash: ipHash(chosen.address) });
  details.ip = chosen.address;
  details.ip_protocol = chosen.family;

  if (opts.packets !== undefined) return pingMode(ctx, { address: chosen.address, port, family: chosen.family }, metrics, details, fail);

  let conn: TcpConnection;
  try {
    logger.info(opts.tls ? 'Dialing TCP with TLS' : 'Dialing TCP without TLS');
    conn = await TcpConnection.dial(
      { address: chosen.address, port, family: chosen.family, policy: ctx.policy, ...(opts.source_ip_address ? { localAddress: opts.source_ip_address } : {}) },
      signal,
    );
  } catch (err) {
    logger.error('Error dialing TCP', { err: (err as Error).message });
    return fail(err instanceof ProbeAborted ? `timed out connecting to ${ctx.target}` : (err as Error).message);
  }
  try {
    details.connection = { local: conn.localAddress, remote: { address: chosen.address, port } };
    const handshake = async (via: 'connect' | 'starttls'): Promise<void> => {
      await loadCertParser();
      const secure: TLSSocket = await conn.startTls(await tlsClientOptions(opts.tls_config, host));
      const info: TlsInfo = tlsInfo(secure, opts.tls_config?.insecure_skip_verify);
      tlsMetrics(metrics, info);
      details.tls = tlsSummary(info, via);
    };
    if (opts.tls) {
      try {
        await handshake('connect');
      } catch (err) {
        logger.error('Error dialing TCP', { err: (err as Error).message });
        return fail(err instanceof ProbeAborted ? `timed out during the TLS handshake with ${ctx.target}` : (err as Error).message);
      }
    }
    logger.info('Successfully dialed');
    const outcome = await runDialogue(
      opts.query_response,
      { readLine: () => conn.readLine(), writeLine: (t) => conn.writeLine(t), readBytes: (n) => conn.readBytes(n), startTls: () => handshake('starttls') },
      logger,
    );
    dialogueMetrics(metrics, outcome);
    details.steps = outcome.steps;
    const banner = outcome.steps.find((s) => s.matched_line !== undefined)?.matched_line;
    if (banner !== undefined) details.banner = banner;
    if (!outcome.ok) return fail(outcome.reason);
    return { success: true, metrics, details };
  } finally {
    conn.close();
  }
}

/** `packets` set: a series of TCP connects (tcpping) instead of one connection and a dialogue. */
async function pingMode(
  ctx: ProbeContext<'tcp'>,
  peer: { address: string; port: number; family: IpFamily },
  metrics: ReturnType<typeof initialTcpMetrics>,
  details: TcpDetails,
  fail: (reason: string) => ProbeResult,
): Promise<ProbeResult> {
  const source = ctx.options.source_ip_address;
  const replies = await tcpPing(source ? { ...peer, localAddress: source } : peer, ctx.options, ctx.signal);
  tcpPingMetrics(metrics, replies);
  details.ping = replies;
  const answered = replies.filter((r) => r.rtt !== undefined).length;
  if (answered === 0) return fail(`no answer to ${replies.length} TCP connects to ${ctx.target}`);
  return { success: true, metrics, details };
}
