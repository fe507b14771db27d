import { niceTicks } from '../../../client/compare.js';
import { formatRatio, formatSeconds } from '../../../client/metrics.js';
import { type TrendPoint, type TrendSeries, type TrendSet, trendWhat } from '../../../client/trend-series.js';
import { h } from './dom.js';
import { s, title } from './svg.js';

/**
 * The same test from each agent over time: one small chart per agent on a common time span and
 * value scale (small multiples, so a phone stacks them and a wide screen puts them side by side).
 * Passing runs are dots on a line; runs that failed are crosses in a lane of their own under the
 * axis, so a failure is seen as one and not as a gap. Every point is a link to its measurement.
 */

// SVG coordinates; the chart scales as a whole (text included), so they are also proportions.
const W = 360;
const H = 112;
const LEFT = 48;
const RIGHT = 10;
const TOP = 8;
const PLOT_BOTTOM = 74;
const FAIL_Y = 94;

function when(at: number): string {
  return new Date(at).toLocaleString();
}

function pointWords(p: TrendPoint): string {
  const parts = [when(p.at), p.status];
  if (p.seconds !== null) parts.push(formatSeconds(p.seconds));
  if (p.loss !== undefined && p.loss > 0) parts.push(`${formatRatio(p.loss)} loss`);
  if (p.status !== 'ok' && p.reason) parts.push(p.reason);
  return parts.join(' · ');
}

function summary(sr: TrendSeries): string {
  const runs = `${sr.points.length} run${sr.points.length === 1 ? '' : 's'}`;
  const failed = sr.failed > 0 ? ` · ${sr.failed} failed` : '';
  const spread = sr.median === undefined ? '' : ` · median ${formatSeconds(sr.median)} (${formatSeconds(sr.min)}–${formatSeconds(sr.max)})`;
  return `${runs}${failed}${spread}`;
}

function oneChart(set: TrendSet, sr: TrendSeries, top: number, ticks: number[]): HTMLElement {
  const span = set.to - set.from;
  const x = (at: number) => (span === 0 ? (LEFT + W - RIGHT) / 2 : LEFT + ((at - set.from) / span) * (W - LEFT - RIGHT));
  const y = (v: number) => PLOT_BOTTOM - (v / top) * (PLOT_BOTTOM - TOP);
  const grid = ticks.map((t) => [
    s('line', { class: 'grid', x1: LEFT, x2: W - RIGHT, y1: y(t), y2: y(t) }),
    s('text', { class: 'label-y', x: LEFT - 4, y: y(t) + 3.5, 'text-anchor': 'end' }, t === 0 ? '0' : formatSeconds(t)),
  ]);
  const ok = sr.points.filter((p) => p.status === 'ok' && p.seconds !== null);
  const line = ok.length > 1 ? s('polyline', { class: 'trend-line', points: ok.map((p) => `${x(p.at).toFixed(1)},${y(p.seconds!).toFixed(1)}`).join(' ') }) : null;
  const marks = sr.points.map((p) => {
    const words = pointWords(p);
    const lossy = (p.loss ?? 0) > 0;
    const mark =
      p.status === 'ok' && p.seconds !== null
        ? s('circle', { class: `pt ok${lossy ? ' lossy' : ''}`, cx: x(p.at), cy: y(p.seconds), r: lossy ? 4 : 3 })
        : s('path', { class: `pt fail ${p.status}`, d: cross(x(p.at), FAIL_Y) });
    return s('a', { href: `#/m/${encodeURIComponent(p.measurement)}`, 'aria-label': words, 'data-status': p.status }, title(words), mark);
  });
  const svg = s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'trend-svg', role: 'group', 'aria-label': `${sr.agent}: ${trendWhat(set.type)} over time` },
    ...grid.flat(),
    s('line', { class: 'axis', x1: LEFT, x2: W - RIGHT, y1: PLOT_BOTTOM, y2: PLOT_BOTTOM }),
    s('text', { class: 'label-y lane-label', x: LEFT - 4, y: FAIL_Y + 3.5, 'text-anchor': 'end' }, 'failed'),
    s('line', { class: 'lane', x1: LEFT, x2: W - RIGHT, y1: FAIL_Y, y2: FAIL_Y }),
    line,
    ...marks,
  );
  const last = sr.last;
  const lastText = last.status === 'ok' ? formatSeconds(last.seconds) : last.status;
  return h(
    'figure',
    { class: `trend${sr.failed > 0 ? ' has-failures' : ''}`, 'data-agent': sr.agent },
    h('figcaption', {}, h('strong', {}, sr.agent), ' ', h('span', { class: `last ${last.status}` }, `last ${lastText}`), h('small', { class: 'muted' }, summary(sr))),
    svg,
  );
}

function cross(cx: number, cy: number): string {
  const d = 4;
  return `M${cx - d},${cy - d}L${cx + d},${cy + d}M${cx - d},${cy + d}L${cx + d},${cy - d}`;
}

/** The charts of one test: its title, the time span, then one chart per agent. */
export function trendView(set: TrendSet): HTMLElement {
  const ticks = niceTicks(set.max, 3);
  const top = ticks.at(-1) || 1;
  const lossNote = set.type === 'icmp' || set.type === 'mtr' ? ' Orange dots: runs with loss.' : '';
  return h(
    'section',
    { class: 'trends', 'data-type': set.type, 'data-target': set.target },
    h('h3', {}, `${trendWhat(set.type)}, ${set.type === 'dns' ? 'resolver' : 'target'} ${set.target}`),
    h('p', { class: 'muted span' }, `${when(set.from)} to ${when(set.to)}, per agent. Crosses: runs that did not pass.${lossNote} Each point opens its run.`),
    h('div', { class: 'trend-grid' }, ...set.series.map((sr) => oneChart(set, sr, top, ticks))),
  );
}
