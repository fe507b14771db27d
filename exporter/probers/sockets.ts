import type { SocketsOptions } from '../../lib/config/probers/sockets.js';
import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober, ProbeContext, ProbeResult } from '../../lib/probe/types.js';
import { matchesRemote, parseRemoteFilter } from '../sockets/filter.js';
import { countByState, TCP_STATE_NAMES, type TcpSocket } from '../sockets/parse.js';
import { readTcpSockets } from '../sockets/read.js';
import type { SocketsDetails } from '../../lib/probers/details/sockets.js';

/** Where the prober reads sockets; tests point it at another namespace's /proc/PID/net. */
export function createSocketsProber(netDir = '/proc/net'): Prober<'sockets'> {
  return {
    validateTarget: (target) => {
      const f = parseRemoteFilter(target);
      return typeof f === 'string' ? f : undefined;
    },
    run: (ctx) => probeSockets(ctx, netDir),
  };
}

/** netstat from the agent: its TCP sockets by state, narrowed to a remote address/port. */
export const socketsProber: Prober<'sockets'> = createSocketsProber();

async function probeSockets(ctx: ProbeContext<'sockets'>, netDir: string): Promise<ProbeResult> {
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
  for (const family of ['4', '6'] as const) {
    for (const state of TCP_STATE_NAMES) {
      metrics.gauge('probe_tcp_sockets', 'TCP sockets of the agent matching the filter, by address family and state', counts[family][state], { family, state });
    }
  }
  const details: SocketsDetails = { filter, total: matching.length, counts };
  if (!ctx.metricsOnly) details.sockets = matching.slice(0, o.max_listed);
  return { success: true, metrics, details };
}
