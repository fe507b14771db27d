import type { Row, RowStatus } from './api.js';
import { httpPhases, mtrHops } from './details.js';
import { lossRatio, note } from './figures.js';
import { metric, samples } from './metrics.js';

/**
 * The figures the comparison charts draw, one bar per row on a common axis: time by phase for
 * http, dns and tcp; round-trip min/avg/max with loss for ping and mtr. Pure; the page draws them.
 */

export interface Segment {
  /** Phase name; the page colours by it (resolve, connect, tls, processing, transfer, request). */
  part: string;
  seconds: number;
}

export interface Bar {
  /** The agent, or "agent → target" when the run had several targets. */
  who: string;
  status: RowStatus;
  segments: Segment[];
  /** Sum of the segments; undefined when the row has no figure (it failed before timing anything). */
  total: number | undefined;
  note: string;
}

export interface Range {
  who: string;
  status: RowStatus;
  min: number | undefined;
  avg: number | undefined;
  max: number | undefined;
  /** 0..1 */
  loss: number | undefined;
  note: string;
}

function whoOf(rows: readonly Row[]): (r: Row) => string {
  const many = new Set(rows.map((r) => r.target)).size > 1;
  return (r) => (many ? `${r.agent} → ${r.target}` : r.agent);
}

const DNS_PHASES = ['resolve', 'connect', 'request'];

function segmentsOf(type: string, row: Row): Segment[] {
  const r = row.result;
  if (!r) return [];
  switch (type) {
    case 'http':
      return httpPhases(samples(r, 'probe_http_duration_seconds')).map((p) => ({ part: p.phase, seconds: p.seconds }));
    case 'dns': {
      const by = new Map(samples(r, 'probe_dns_duration_seconds').map((s) => [s.labels.phase ?? '', s.value]));
      return DNS_PHASES.filter((p) => by.has(p)).map((p) => ({ part: p, seconds: by.get(p)! }));
    }
    case 'tcp': {
      // The name lookup, then the rest of the probe: connecting (and TLS, and any dialogue).
      const total = metric(r, 'probe_duration_seconds') ?? r.duration_seconds;
      const lookup = metric(r, 'probe_dns_lookup_time_seconds') ?? 0;
      if (total === undefined) return [];
      return [
        { part: 'resolve', seconds: Math.min(lookup, total) },
        { part: 'connect', seconds: Math.max(0, total - lookup) },
      ];
    }
    default: {
      const total = r.duration_seconds;
      return total === undefined ? [] : [{ part: 'total', seconds: total }];
    }
  }
}

/** One stacked bar per row, slowest first; rows without a figure last, in agent order. */
export function timingBars(type: string, rows: readonly Row[]): Bar[] {
  const who = whoOf(rows);
  const bars = rows.map((row): Bar => {
    const segments = row.status === 'offline' || row.status === 'timeout' ? [] : segmentsOf(type, row).filter((s) => s.seconds >= 0);
    const sum = segments.reduce((a, s) => a + s.seconds, 0);
    return { who: who(row), status: row.status, segments, total: segments.length === 0 ? undefined : sum, note: note(row) };
  });
  return bars.sort((a, b) => (b.total ?? -1) - (a.total ?? -1) || a.who.localeCompare(b.who));
}

function pingRange(row: Row): Omit<Range, 'who' | 'status' | 'note'> {
  const r = row.result;
  const stat = (s: string) => metric(r, 'probe_icmp_rtt_seconds', { stat: s });
  return { min: stat('min'), avg: stat('avg'), max: stat('max'), loss: lossRatio(row) ?? metric(r, 'probe_icmp_packet_loss_ratio') };
}

function mtrRange(row: Row): Omit<Range, 'who' | 'status' | 'note'> {
  const last = mtrHops(row.result).at(-1);
  return { min: last?.best, avg: last?.avg, max: last?.worst, loss: last?.loss };
}

/** Round trip per row (ping: the echo replies; mtr: the last hop), slowest average first. */
export function rttRanges(type: string, rows: readonly Row[]): Range[] {
  const who = whoOf(rows);
  const ranges = rows.map((row): Range => ({ who: who(row), status: row.status, note: note(row), ...(type === 'mtr' ? mtrRange(row) : pingRange(row)) }));
  return ranges.sort((a, b) => (b.avg ?? -1) - (a.avg ?? -1) || a.who.localeCompare(b.who));
}

/** About `count` round axis ticks from 0 to at least `max` (1, 2 or 5 times a power of ten). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = 0; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
