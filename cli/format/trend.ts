import { formatSeconds } from '../../client/metrics.js';
import { type TrendPoint, type TrendSet, trendWhat } from '../../client/trend-series.js';
import { layoutTable, type Table } from './table.js';

const LEVELS = '▁▂▃▄▅▆▇█';

/** One character per run, oldest first: the figure's height, "×" for a run that did not pass. */
export function sparkline(points: readonly TrendPoint[], max: number): string {
  return points
    .map((p) => {
      if (p.status !== 'ok') return '×';
      if (p.seconds === null) return '·';
      const i = max > 0 ? Math.round((p.seconds / max) * (LEVELS.length - 1)) : 0;
      return LEVELS[Math.min(LEVELS.length - 1, Math.max(0, i))]!;
    })
    .join('');
}

/**
 * `pulse history --trend`: per test, one line per agent with its runs, failures, the spread of
 * its figure, the last run and a sparkline on the test's common scale (the page's history charts
 * in text).
 */
export function trendLines(sets: readonly TrendSet[]): string[] {
  const out: string[] = [];
  for (const set of sets) {
    if (out.length > 0) out.push('');
    out.push(`${trendWhat(set.type)}, ${set.type} ${set.target} (oldest → newest; × did not pass):`);
    const table: Table = {
      headers: ['AGENT', 'RUNS', 'FAILED', 'MIN', 'MEDIAN', 'MAX', 'LAST', 'TREND'],
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      rows: set.series.map((sr) => [
        sr.agent,
        String(sr.points.length),
        String(sr.failed),
        formatSeconds(sr.min),
        formatSeconds(sr.median),
        formatSeconds(sr.max),
        sr.last.status === 'ok' ? formatSeconds(sr.last.seconds) : sr.last.status,
        sparkline(sr.points, set.max),
      ]),
    };
    out.push(...layoutTable(table));
  }
  return out;
}
