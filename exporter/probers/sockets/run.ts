import type { SocketsOptions } from '../../../lib/config/probers/sockets.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import { matchesRemote, parseRemoteFilter } from '../../sockets/filter.js';
import { countByState, type TcpSocket } from '../../sockets/parse.js';
import { socketsMetrics } from './metrics.js';
import { readTcpSockets } from '../../sockets/read.js';
import type { SocketsDetails } from '../../../lib/probers/details/sockets.js';

export async function probeSockets(ctx: ProbeContext<'sockets'>, netDir: string): Promise<ProbeResult> {
  const metrics = new MetricSet();
  const filter = parseRemoteFilter(ctx.target);
  if (typeof filter === 'string') return { success: false, reason: filter, metrics, details: {} };
  let all: TcpSocket[];
  try {
    all = await readTcpSockets(netDir);
  } catch (err) {
    return { success: false, reason: `cannot read ${netDir}/tcp: ${(err as Error).message}`, metrics, details: {} };
  }
  const o: SocketsOptions = ctx.options;
  const matching = all.filter((s) => matchesRemote(s, filter) && (o.states.length === 0 || o.states.includes(s.state)));
  const counts = countByState(matching);
  socketsMetrics(metrics, counts);
  const details: SocketsDetails = { filter, total: matching.length, counts };
  if (!ctx.metricsOnly) details.sockets = matching.slice(0, o.max_listed);
  return { success: true, metrics, details };
}
