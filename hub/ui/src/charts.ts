import type { Row } from '../../../client/api.js';
import { type Bar, niceTicks, type Range, rttRanges, timingBars } from '../../../client/compare.js';
import { formatRatio, formatSeconds } from '../../../client/metrics.js';
import { h } from './dom.js';
import { s, title } from './svg.js';

/**
 * Comparison charts, one line per row on a common time axis: labels and figures are HTML (so they
 * stay readable on a phone), the bars are small SVGs stretched to the column (no text inside).
 */

const PART_TITLES: Record<string, string> = {
  resolve: 'DNS',
  connect: 'connect',
  tls: 'TLS',
  processing: 'waiting',
  transfer: 'transfer',
  request: 'request',
  total: 'total',
};

/** The bars' SVG coordinate width; stretched to the column, so only proportions matter. */
const W = 1000;

function gridLines(ticks: number[], max: number): SVGElement[] {
  return ticks.map((t) => s('line', { class: 'grid', x1: (t / max) * W, x2: (t / max) * W, y1: 0, y2: 10, 'vector-effect': 'non-scaling-stroke' }));
}

function axis(ticks: number[], max: number): HTMLElement {
  return h(
    'div',
    { class: 'chart-row axis', 'aria-hidden': 'true' },
    h('span', { class: 'who' }),
    h('div', { class: 'ticks' }, ...ticks.map((t) => h('span', { class: t === 0 ? 'tick zero' : 'tick', style: `left:${((t / max) * 100).toFixed(2)}%` }, t === 0 ? '0' : formatSeconds(t)))),
    h('span', { class: 'value' }),
  );
}

function chartFrame(cls: string, caption: string, ticks: number[], max: number, lines: HTMLElement[], legend?: HTMLElement): HTMLElement {
  return h('figure', { class: `chart ${cls}` }, h('figcaption', {}, caption), axis(ticks, max), ...lines, legend ?? null);
}

function line(who: string, status: string, bar: SVGElement | null, value: string, label: string): HTMLElement {
  return h(
    'div',
    { class: `chart-row ${status}`, 'data-who': who, role: 'img', 'aria-label': `${who}: ${label}` },
    h('span', { class: 'who', title: who }, who),
    h('div', { class: 'bar' }, bar),
    h('span', { class: 'value' }, value),
  );
}

function legend(parts: string[]): HTMLElement {
  return h('ul', { class: 'legend' }, ...parts.map((p) => h('li', {}, h('span', { class: `swatch ${p}` }), PART_TITLES[p] ?? p)));
}

/** Time by phase per row, one stacked bar each, slowest on top (http, dns, tcp). */
export function timingChart(type: string, rows: readonly Row[]): HTMLElement {
  const bars = timingBars(type, rows);
  const max = Math.max(0, ...bars.map((b) => b.total ?? 0));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) || 1;
  // Only phases that took time somewhere: plain http has no TLS, an address target no DNS.
  const parts = [...new Set(bars.flatMap((b) => b.segments.filter((x) => x.seconds > 0).map((x) => x.part)))];
  const lines = bars.map((b: Bar) => {
    if (b.total === undefined) return line(b.who, b.status, null, b.status, `${b.status}${b.note ? `: ${b.note}` : ''}`);
    let x = 0;
    const rects = b.segments.map((seg) => {
      const w = (seg.seconds / top) * W;
      const r = s('rect', { class: `seg ${seg.part}`, x, y: 1, width: Math.max(w, 0), height: 8 }, title(`${PART_TITLES[seg.part] ?? seg.part}: ${formatSeconds(seg.seconds)}`));
      x += w;
      return r;
    });
    const svg = s('svg', { viewBox: `0 0 ${W} 10`, preserveAspectRatio: 'none', class: 'bar-svg' }, ...gridLines(ticks, top), ...rects);
    const words = b.segments.map((seg) => `${PART_TITLES[seg.part] ?? seg.part} ${formatSeconds(seg.seconds)}`).join(', ');
    return line(b.who, b.status, svg, formatSeconds(b.total), `${formatSeconds(b.total)} (${words})`);
  });
  const what = type === 'http' ? 'HTTP time by phase' : type === 'dns' ? 'DNS lookup time by phase' : 'Connect time';
  return chartFrame('timing-chart', `${what}, per agent, slowest first`, ticks, top, lines, legend(parts));
}

/** Round trip min–max with the average marked and the loss beside it, slowest on top (ping, mtr). */
export function rttChart(type: string, rows: readonly Row[]): HTMLElement {
  const ranges = rttRanges(type, rows);
  const max = Math.max(0, ...ranges.map((r) => r.max ?? r.avg ?? 0));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) || 1;
  const lines = ranges.map((r: Range) => {
    if (r.avg === undefined) return line(r.who, r.status, null, r.loss === 1 ? '100% loss' : r.status, `${r.status}${r.note ? `: ${r.note}` : ''}`);
    const x = (v: number | undefined) => ((v ?? r.avg!) / top) * W;
    const lossy = (r.loss ?? 0) > 0;
    const words = `min ${formatSeconds(r.min)}, avg ${formatSeconds(r.avg)}, max ${formatSeconds(r.max)}, ${formatRatio(r.loss ?? 0)} loss`;
    const svg = s(
      'svg',
      { viewBox: `0 0 ${W} 10`, preserveAspectRatio: 'none', class: 'bar-svg' },
      ...gridLines(ticks, top),
      s('rect', { class: `range${lossy ? ' lossy' : ''}`, x: x(r.min), y: 3, width: Math.max(x(r.max) - x(r.min), 0), height: 4 }),
      s('line', { class: 'avg', x1: x(r.avg), x2: x(r.avg), y1: 0, y2: 10, 'vector-effect': 'non-scaling-stroke' }),
      title(words),
    );
    const value = `${formatSeconds(r.avg)}${lossy ? ` · ${formatRatio(r.loss)} loss` : ''}`;
    return line(r.who, r.status, svg, value, words);
  });
  const what = type === 'mtr' ? 'Round trip to the last hop' : 'Ping round trip';
  return chartFrame('rtt-chart', `${what}: min to max, average marked, per agent`, ticks, top, lines);
}

/** The chart that compares rows of this test type. */
export function compareChart(type: string, rows: readonly Row[]): HTMLElement {
  return type === 'icmp' || type === 'mtr' ? rttChart(type, rows) : timingChart(type, rows);
}
