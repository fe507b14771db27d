import type { HistoryRow, RowStatus } from './api.js';

/** One past run of the same test from one agent: a point of its series. */
export interface TrendPoint {
  /** Epoch milliseconds (the measurement's created_at). */
  at: number;
  measurement: string;
  status: RowStatus;
  /** The headline figure; null when the run has none (offline, timed out). */
  seconds: number | null;
  loss?: number;
  reason?: string;
}

/** One agent's runs of one test (type and target), oldest first, with what a glance needs. */
export interface TrendSeries {
  agent: string;
  type: string;
  target: string;
  points: TrendPoint[];
  /** Runs that did not pass: failed, timed out or offline. */
  failed: number;
  /** Over passing runs with a figure; undefined when there is none. */
  min?: number;
  median?: number;
  max?: number;
  last: TrendPoint;
}

/** All series of one test, on one time span and one value scale so the charts compare. */
export interface TrendSet {
  type: string;
  target: string;
  series: TrendSeries[];
  from: number;
  to: number;
  /** Largest figure of any point (failed ones too, a slow 503 counts). */
  max: number;
}

/**
 * History rows (any order) into one set per test, each with one series per agent, agents in name
 * order. Rows stored before history carried figures have `seconds: null`.
 */
export function trendSets(rows: readonly HistoryRow[]): TrendSet[] {
  const sets = new Map<string, Map<string, TrendPoint[]>>();
  for (const r of rows) {
    const key = `${r.type}\u0000${r.target}`;
    const byAgent = sets.get(key) ?? new Map<string, TrendPoint[]>();
    sets.set(key, byAgent);
    const points = byAgent.get(r.agent) ?? [];
    byAgent.set(r.agent, points);
    points.push({
      at: Date.parse(r.created_at),
      measurement: r.measurement,
      status: r.status,
      seconds: r.figure_seconds ?? null,
      ...(r.loss_ratio !== undefined ? { loss: r.loss_ratio } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    });
  }
  return [...sets].map(([key, byAgent]) => {
    const [type, target] = key.split('\u0000') as [string, string];
    const series = [...byAgent].sort(([a], [b]) => a.localeCompare(b)).map(([agent, points]) => seriesOf(agent, type, target, points));
    const all = series.flatMap((s) => s.points);
    return {
      type,
      target,
      series,
      from: Math.min(...all.map((p) => p.at)),
      to: Math.max(...all.map((p) => p.at)),
      max: Math.max(0, ...all.map((p) => p.seconds ?? 0)),
    };
  });
}

function seriesOf(agent: string, type: string, target: string, points: TrendPoint[]): TrendSeries {
  points.sort((a, b) => a.at - b.at || a.measurement.localeCompare(b.measurement));
  const figures = points.filter((p) => p.status === 'ok' && p.seconds !== null).map((p) => p.seconds!);
  figures.sort((a, b) => a - b);
  const mid = figures.length >> 1;
  return {
    agent,
    type,
    target,
    points,
    failed: points.filter((p) => p.status !== 'ok').length,
    ...(figures.length > 0
      ? { min: figures[0]!, max: figures.at(-1)!, median: figures.length % 2 === 1 ? figures[mid]! : (figures[mid - 1]! + figures[mid]!) / 2 }
      : {}),
    last: points.at(-1)!,
  };
}

const WHAT: Record<string, string> = {
  http: 'HTTP total time',
  dns: 'DNS lookup time',
  tcp: 'TCP connect time',
  icmp: 'ping average round trip',
  mtr: 'mtr last-hop round trip',
};

/** What the figure of a test type is, in words ("HTTP total time"). */
export function trendWhat(type: string): string {
  return WHAT[type] ?? 'probe duration';
}
