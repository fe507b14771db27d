import type { HistoryParams, HistoryRow } from '../../../cli/core/api.js';
import { getHistory } from './api.js';
import { h } from './dom.js';

const PAGE = 50;

/**
 * Past results (#/history): the same test over time, per agent. Filters go to the hub as
 * GET /api/v1/measurements parameters; "Older" follows the page's cursor.
 */
export function historyView(onError: (err: unknown) => void): HTMLElement {
  const field = (name: string, placeholder: string) => h('input', { name, placeholder, 'aria-label': placeholder, size: 18 });
  const target = field('target', 'Target (example.org:443)');
  const agent = field('agent', 'Agent');
  const since = field('since', 'Since (24h or RFC 3339)');
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Older');
  const status = h('p', { class: 'muted summary' });
  let cursor: string | undefined;

  const params = (): HistoryParams => {
    const p: HistoryParams = { limit: PAGE };
    if (target.value.trim()) p.target = target.value.trim();
    if (agent.value.trim()) p.agent = agent.value.trim();
    if (since.value.trim()) p.since = since.value.trim();
    return p;
  };
  const load = async (fresh: boolean) => {
    try {
      const page = await getHistory({ ...params(), ...(!fresh && cursor ? { cursor } : {}) });
      if (fresh) tbody.replaceChildren();
      tbody.append(...page.rows.map(historyRow));
      cursor = page.next ?? undefined;
      more.hidden = cursor === undefined;
      status.textContent = tbody.children.length === 0 ? 'No stored results match.' : `${tbody.children.length} rows, newest first`;
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
        void load(true);
      },
    },
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
    h('td', { class: 'note', 'data-label': 'Reason' }, r.reason ?? ''),
  );
}
