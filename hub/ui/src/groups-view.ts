import type { Row } from '../../../client/api.js';
import { type Group, groupRows } from '../../../client/group.js';
import { formatRatio } from '../../../client/metrics.js';
import { h } from './dom.js';

/**
 * The rows grouped by what they got, largest group first, the odd ones out marked; each group
 * offers to show only its rows in the table.
 */
export function groupsView(type: string, rows: readonly Row[], shown: string | undefined, onShow: (key: string | undefined) => void): HTMLElement {
  const groups = groupRows(type, rows);
  const n = groups.length;
  const head = n === 1 ? `All ${rows.length} rows got the same` : `${n} different outcomes across ${rows.length} rows`;
  return h(
    'section',
    { class: 'groups', 'aria-label': 'Grouped by outcome' },
    h('h3', {}, head),
    h('ol', {}, ...groups.map((g) => groupItem(g, shown === g.key, onShow))),
  );
}

function groupItem(g: Group, shown: boolean, onShow: (key: string | undefined) => void): HTMLElement {
  const mark = g.majority ? 'majority' : g.outlier ? 'outlier' : '';
  return h(
    'li',
    { class: `group ${g.status}${mark ? ` ${mark}` : ''}`, 'data-count': g.count, 'data-status': g.status, 'data-mark': mark || 'none' },
    h('span', { class: 'count', title: `${formatRatio(g.share)} of the rows` }, String(g.count)),
    h('span', { class: 'share', 'aria-hidden': 'true' }, h('span', { class: 'share-fill', style: `width:${(g.share * 100).toFixed(1)}%` })),
    h('span', { class: 'outcome' }, g.label),
    mark ? h('span', { class: `badge mark ${mark}` }, mark) : null,
    h('span', { class: 'members' }, g.members.join(', ')),
    h(
      'button',
      {
        type: 'button',
        class: 'show',
        'aria-pressed': shown ? 'true' : 'false',
        // The visible words are the same on every group; the name says which one.
        'aria-label': shown ? 'Show all rows' : `Only the ${g.count} row${g.count === 1 ? '' : 's'} that got ${g.label}`,
        onclick: () => onShow(shown ? undefined : g.key),
      },
      shown ? 'Show all rows' : 'Only these rows',
    ),
  );
}
