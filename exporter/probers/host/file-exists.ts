import type { FileExistsDetails } from '../../../lib/probers/details/host.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { Prober, ProbeResult } from '../../../lib/probe/types.js';
import { decidePath, hostChecksUnavailable, lexicalPathError } from '../shared/path-policy.js';
import { fileKind, recordStat, statPath } from './stat.js';

/** werify's file_exists: does the path (file, directory, anything) exist on this host. */
export const fileExistsProber: Prober<'file_exists'> = {
  unavailable: hostChecksUnavailable,
  validateTarget: (target) => lexicalPathError(target),
  async run(ctx): Promise<ProbeResult> {
    const metrics = new MetricSet();
    const details: FileExistsDetails = { path: ctx.target };
    const decision = await decidePath(ctx.target, ctx.exporter);
    if (!decision.ok) return { success: false, reason: decision.reason, metrics, details };
    details.path = decision.path;
    if (decision.resolved !== decision.path) details.resolved = decision.resolved;
    const st = await statPath(decision.resolved, ctx.signal);
    if ('error' in st) return { success: false, reason: `cannot stat ${decision.path}: ${st.error}`, metrics, details };
    recordStat(metrics, st);
    details.exists = st.exists;
    if (!st.exists) return { success: false, reason: `${decision.path} does not exist`, metrics, details };
    details.type = fileKind(st.stats);
    details.size_bytes = st.stats.size;
    details.modified = st.stats.mtime.toISOString();
    ctx.logger.info('Path exists', { path: decision.path, type: details.type });
    return { success: true, metrics, details };
  },
};
