import type { ProcessRunningDetails } from '../../../lib/probers/details/host.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { Prober, ProbeResult } from '../../../lib/probe/types.js';
import { HOST_METRICS } from './metrics.js';
import { DISABLED_REASON, decidePath, hostChecksEnabled, hostChecksUnavailable, lexicalPathError } from '../shared/path-policy.js';
import { type ProcessCriteria, processMatches } from './process-match.js';
import { readProcessTable } from './procfs.js';

const MAX_LISTED = 50;

/** The target is an executable's absolute path, or else a process name (no "/"). */
export function processTargetError(target: string): string | undefined {
  if (target.startsWith('/')) return lexicalPathError(target);
  if (target.includes('/')) return `target must be an absolute executable path or a process name without "/": "${target}"`;
  if (target.length > 255) return 'process name is longer than 255 characters';
  return undefined;
}

/**
 * werify's process_running, from /proc: processes whose executable is the target path (when it
 * is a path) and whose name is the target name and/or options.check. A path must be allowed by
 * host_checks.allowed_paths; a name needs host checks enabled but touches no file.
 */
export const processRunningProber: Prober<'process_running'> = {
  unavailable: hostChecksUnavailable,
  validateTarget: (target) => processTargetError(target),
  async run(ctx): Promise<ProbeResult> {
    const metrics = new MetricSet();
    const details: ProcessRunningDetails = {};
    const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });
    if (!hostChecksEnabled(ctx.exporter)) return fail(DISABLED_REASON);
    const criteria: ProcessCriteria = {};
    const names: string[] = [];
    if (ctx.target.startsWith('/')) {
      const decision = await decidePath(ctx.target, ctx.exporter);
      if (!decision.ok) return fail(decision.reason);
      criteria.paths = [...new Set([decision.path, decision.resolved])];
      details.path = decision.path;
      if (decision.resolved !== decision.path) details.resolved = decision.resolved;
    } else names.push(ctx.target);
    if (ctx.options.check !== undefined) names.push(ctx.options.check);
    if (names.length > 0) {
      criteria.names = [...new Set(names)];
      details.names = criteria.names;
    }

    let table: Awaited<ReturnType<typeof readProcessTable>>;
    try {
      table = await readProcessTable(ctx.signal);
    } catch (err) {
      if (ctx.signal.aborted) return fail('timed out reading /proc');
      return fail(`reading /proc: ${(err as Error).message}`);
    }
    const found = table.processes.filter((p) => processMatches(p, criteria));
    metrics.gauge(...HOST_METRICS.processes, found.length);
    details.processes_matching = found.length;
    details.processes = found.slice(0, MAX_LISTED).map((p) => ({ pid: p.pid, name: p.comm, ...(p.exe ? { exe: p.exe } : {}) }));
    if (table.exeUnreadable > 0) details.exe_unreadable = table.exeUnreadable;
    ctx.logger.info('Process table read', { processes: table.processes.length, matching: found.length });
    if (found.length > 0) return { success: true, metrics, details };
    const what = [criteria.paths ? `executable ${criteria.paths[0]}` : '', criteria.names ? `name ${criteria.names.join(' and ')}` : '']
      .filter(Boolean)
      .join(' and ');
    let hint = '';
    if (criteria.paths && table.exeUnreadable > 0) {
      const why = process.getuid?.() === 0 ? '' : "; the exporter needs root or CAP_SYS_PTRACE to see other users' processes";
      hint = ` (the executables of ${table.exeUnreadable} processes could not be read${why})`;
    }
    return fail(`no running process with ${what}${hint}`);
  },
};
