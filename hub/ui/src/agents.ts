import type { Agent } from '../../../client/api.js';
import { agentNetwork } from '../../../client/network.js';
import { agentStateWord } from '../../../client/rows.js';
import { ago } from '../../../client/time.js';
import { h } from './dom.js';

/** The fleet: online or offline, labels, version, last seen, probers. */
export function agentsView(agents: Agent[], now: Date): HTMLElement {
  const online = agents.filter((a) => agentStateWord(a) === 'online').length;
  const head = h('p', { class: 'summary' }, `${online} of ${agents.length} agent${agents.length === 1 ? '' : 's'} online`);
  if (agents.length === 0) return h('section', { class: 'agents' }, head, h('p', { class: 'muted' }, 'No agent has registered with this hub yet.'));
  const rows = [...agents]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((a) => {
      const state = agentStateWord(a);
      return h(
        'tr',
        { 'data-agent': a.name, 'data-state': state },
        h('td', { class: 'agent', 'data-label': 'Agent' }, a.name),
        h('td', { 'data-label': 'State' }, h('span', { class: `badge ${state === 'online' ? 'ok' : state === 'refused' ? 'failed' : 'offline'}` }, state)),
        h('td', { 'data-label': 'Labels' }, ...Object.entries(a.labels).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`))),
        h('td', { 'data-label': 'Version' }, a.version),
        h('td', { 'data-label': 'Last seen', title: a.last_seen }, ago(a.last_seen, now)),
        h('td', { 'data-label': 'Tests' }, a.probers.join(', ')),
        h('td', { class: 'network', 'data-label': 'Network' }, agentNetwork(a)),
        h('td', { class: 'note', 'data-label': 'Note' }, a.refused ?? ''),
      );
    });
  const headers = ['Agent', 'State', 'Labels', 'Version', 'Last seen', 'Tests', 'Network', 'Note'];
  return h(
    'section',
    { class: 'agents' },
    head,
    h('div', { class: 'scroll' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))), h('tbody', {}, ...rows))),
  );
}
