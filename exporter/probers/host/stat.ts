import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { MetricSet } from '../../../lib/probe/metrics.js';
import { abortable } from '../shared/abort.js';
import { HOST_METRICS } from './metrics.js';

export type StatOutcome = { exists: true; stats: Stats } | { exists: false } | { error: string };

/** stat() that follows symlinks, as Go's os.Stat (werify's test); "missing" is not an error. */
export async function statPath(path: string, signal: AbortSignal): Promise<StatOutcome> {
  try {
    return { exists: true, stats: await abortable(stat(path), signal) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false };
    return { error: code ?? (err as Error).message };
  }
}

export function fileKind(s: Stats): 'file' | 'directory' | 'other' {
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other';
}

/** probe_host_file_exists, plus size and modification time when the path exists. */
export function recordStat(metrics: MetricSet, outcome: { exists: true; stats: Stats } | { exists: false }): void {
  metrics.gauge(...HOST_METRICS.fileExists, outcome.exists ? 1 : 0);
  if (!outcome.exists) return;
  metrics.gauge(...HOST_METRICS.fileSize, outcome.stats.size);
  metrics.gauge(...HOST_METRICS.fileModified, Math.floor(outcome.stats.mtimeMs) / 1000);
}
