import type { HistoryParams, HistoryRow } from '../../../client/api.js';
import { trendSets } from '../../../client/trend-series.js';
import { getHistory } from './api.js';
import { h } from './dom.js';
import { trendView } from './trend-chart.js';

const PAGE = 100;
/** Charts for this many tests at most; a filter narrows it down to one. */
const MAX_CHARTED = 4;
const TYPES = ['', 'http', 'dns', 'tcp', 'icmp', 'mtr'];
const FILTERS = ['type', 'target', 'agent', 'since'] as const;

/** The view's address: #/history?type=…&target=…&agent=…, so a result row can link to its history. */
export function historyHash(p: Partial<Record<(typeof FILTERS)[number], string>>): string {
  const q = new URLSearchParams();
  for (const k of FILTERS) if (p[k]) q.set(k, p[k]!);
  const text = q.toString();
  return `#/history${text ? `?${text}` : ''}`;
}

/**
 * Past results (#/history): the same test over time, per agent, as small charts over a table of
 * the rows. Filters go to the hub as GET /api/v1/measurements parameters and into the address;
 * "Older" follows the page's cursor and adds to both.
 */
export function historyView(onError: (err: unknown) => void, initial: URLSearchParams = new URLSearchParams()): HTMLElement {
  const field = (name: string, placeholder: string) => h('input', { name, placeholder, 'aria-label': placeholder, size: 18, value: initial.get(name) ?? undefined });
  const type = h('select', { name: 'type', 'aria-label': 'Test type' }, ...TYPES.map((t) => h('option', { value: t, selected: t === (initial.get('type') ?? '') }, t === '' ? 'Any test' : t)));
  const target = field('target', 'Target (example.org:443)');
  const agent = field('agent', 'Agent');
  const since = field('since', 'Since (24h or RFC 3339)');
  const charts = h('div', { class: 'trend-sets' });
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Older');
  const status = h('p', { class: 'muted summary' });
  let cursor: string | undefined;
  let loaded: HistoryRow[] = [];

  const values = () => ({ type: type.value, target: target.value.trim(), agent: agent.value.trim(), since: since.value.trim() });
  const params = (): HistoryParams => {
    const p: HistoryParams = { limit: PAGE };
    for (const [k, v] of Object.entries(values())) if (v) p[k as (typeof FILTERS)[number]] = v;
    return p;
  };
  const drawCharts = () => {
    const sets = trendSets(loaded);
    const shown = sets.slice(0, MAX_CHARTED).map(trendView);
    const rest = sets.length - shown.length;
    charts.replaceChildren(...shown, rest > 0 ? h('p', { class: 'muted' }, `${rest} more test${rest === 1 ? '' : 's'} not charted: choose a type and target to see one.`) : '');
  };
  const load = async (fresh: boolean) => {
    try {
      const page = await getHistory({ ...params(), ...(!fresh && cursor ? { cursor } : {}) });
      if (fresh) {
        tbody.replaceChildren();
        loaded = [];
      }
      loaded = [...loaded, ...page.rows];
      tbody.append(...page.rows.map(historyRow));
      drawCharts();
      cursor = page.next ?? undefined;
      more.hidden = cursor === undefined;
      status.textContent = loaded.length === 0 ? 'No stored results match.' : `${loaded.length} rows, newest first`;
      onError(undefined);
    } catch (err) {
      onError(err);
    }
  };
  more.addEventListener('click', () => void load(false));
  const form = h(
    'form',
    {
      class: 'history-filter',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        // The address follows the filter (no hashchange: no re-render), so it can be shared.
        history.replaceState(null, '', historyHash(values()));
        void load(true);
      },
    },
    type,
    target,
    agent,
    since,
    h('button', { type: 'submit' }, 'Show'),
  );
  const headers = ['Time', 'Agent', 'Type', 'Target', 'Status', 'Seconds', 'Reason'];
  void load(true);
  return h(
    'section',
    { class: 'history' },
    form,
    status,
    charts,
    h('div', { class: 'scroll' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))), tbody)),
    more,
  );
}

function historyRow(r: HistoryRow): HTMLElement {
  return h(
    'tr',
    { 'data-agent': r.agent, 'data-status': r.status },
    h('td', { 'data-label': 'Time' }, h('a', { href: `#/m/${encodeURIComponent(r.measurement)}`, title: r.measurement }, new Date(r.created_at).toLocaleString())),
    h('td', { class: 'agent', 'data-label': 'Agent' }, r.agent),
    h('td', { 'data-label': 'Type' }, r.type),
    h('td', { 'data-label': 'Target' }, r.target),
    h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${r.status}` }, r.status)),
    h('td', { 'data-label': 'Seconds' }, r.duration_seconds === null ? '' : r.duration_seconds.toFixed(3)),
    h('td', { class: 'note', 'data-label': 'Reason' }, r.reason || null),
  );
}
