import type { FileContainsDetails } from '../../../lib/probers/details/host.js';
import { createReadStream } from 'node:fs';
import { type FileContainsOptions, fileContainsOptionsError } from '../../../lib/config/probers/host.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { Prober, ProbeResult } from '../../../lib/probe/types.js';
import { compileGoRegex } from '../../../lib/regex.js';
import { ProbeAborted } from '../shared/abort.js';
import { countLines } from './lines.js';
import { HOST_METRICS } from './metrics.js';
import { decidePath, hostChecksUnavailable, lexicalPathError } from '../shared/path-policy.js';
import { recordStat, statPath } from './stat.js';


function criterion(o: FileContainsOptions): string {
  return o.check !== undefined ? `contains ${JSON.stringify(o.check)}` : `matches ${JSON.stringify(o.regexp)}`;
}

/**
 * werify's file_contains, a line-by-line grep that reports whether and how often the file
 * matched, never what it holds (no line text leaves the exporter).
 */
export const fileContainsProber: Prober<'file_contains'> = {
  unavailable: hostChecksUnavailable,
  validateTarget: (target, options) => lexicalPathError(target) ?? fileContainsOptionsError(options),
  async run(ctx): Promise<ProbeResult> {
    const { options: o, signal } = ctx;
    const metrics = new MetricSet();
    const details: FileContainsDetails = { path: ctx.target };
    const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });
    const bad = fileContainsOptionsError(o);
    if (bad) return fail(bad);
    const decision = await decidePath(ctx.target, ctx.exporter);
    if (!decision.ok) return fail(decision.reason);
    details.path = decision.path;
    if (decision.resolved !== decision.path) details.resolved = decision.resolved;
    const st = await statPath(decision.resolved, signal);
    if ('error' in st) return fail(`cannot stat ${decision.path}: ${st.error}`);
    recordStat(metrics, st);
    details.exists = st.exists;
    if (!st.exists) {
      metrics.gauge(...HOST_METRICS.matchingLines, 0);
      return fail(`${decision.path} does not exist`);
    }
    // A FIFO or a device could block or never end: only regular files are read.
    if (!st.stats.isFile()) return fail(`${decision.path} is not a regular file`);

    const check = o.check;
    const test = check !== undefined ? (line: string) => line.includes(check) : regexTest(o.regexp!);
    let counted: Awaited<ReturnType<typeof countLines>>;
    try {
      counted = await countLines(createReadStream(decision.resolved, { signal, highWaterMark: 64 * 1024 }), test);
    } catch (err) {
      if (signal.aborted || err instanceof ProbeAborted) return fail(`timed out reading ${decision.path}`);
      return fail(`reading ${decision.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    metrics.gauge(...HOST_METRICS.matchingLines, counted.matching).gauge(...HOST_METRICS.linesRead, counted.lines);
    details.lines = counted.lines;
    details.matching_lines = counted.matching;
    if (counted.firstMatch !== undefined) details.first_matching_line_number = counted.firstMatch;
    ctx.logger.info('File read', { path: decision.path, lines: counted.lines, matching_lines: counted.matching });
    if (counted.matching === 0) return fail(`no line of ${decision.path} ${criterion(o)}`);
    return { success: true, metrics, details };
  },
};

function regexTest(source: string): (line: string) => boolean {
  const re = compileGoRegex(source);
  return (line) => re.test(line);
}
