import type { Row } from './api.js';
import { rttRanges, timingBars } from './compare.js';
import { mtrSummary } from './figures.js';

/**
 * The one figure per row that the history views follow over time: HTTP total time, DNS lookup
 * time, TCP connect time, ping average round trip, mtr last-hop average; with the loss for ping
 * and mtr. The hub computes it once when it indexes a finished measurement, so a history query
 * answers it without reading the agents' full results back.
 */
export interface TrendFigure {
  /** Seconds; null when the row has none (offline, timed out, nothing answered). */
  figure_seconds: number | null;
  /** 0..1, ping and mtr only. */
  loss_ratio?: number;
}

export function trendFigure(type: string, row: Row): TrendFigure {
  // Stored records come from agents and hubs of other versions: a result without metrics (or
  // one shaped otherwise) has no figure, and must never stop the hub from indexing the rest.
  if (!row.result || typeof row.result.metrics !== 'object' || row.result.metrics === null) return { figure_seconds: null };
  try {
    return figureOf(type, row);
  } catch {
    return { figure_seconds: null };
  }
}

function figureOf(type: string, row: Row): TrendFigure {
  if (type === 'icmp' || type === 'mtr') {
    const r = rttRanges(type, [row])[0]!;
    const avg = type === 'mtr' ? (mtrSummary(row)?.avg ?? r.avg) : r.avg;
    return { figure_seconds: finite(avg), ...(r.loss !== undefined && Number.isFinite(r.loss) ? { loss_ratio: r.loss } : {}) };
  }
  // The same sums the comparison bars draw: connect (without the lookup) for tcp, all phases for http.
  const bar = timingBars(type, [row])[0]!;
  const seconds = type === 'tcp' ? bar.segments.find((s) => s.part === 'connect')?.seconds : bar.total;
  return { figure_seconds: finite(seconds) };
}

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}
