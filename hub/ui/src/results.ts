import type { Row, Summary } from '../../../client/api.js';
import { keyFigure, note } from '../../../client/figures.js';
import { outcomeOf } from '../../../client/group.js';
import { sortRows } from '../../../client/rows.js';
import { CompareView } from './compare-view.js';
import { detailView } from './detail.js';
import { clear, h } from './dom.js';
import { historyHash } from './history.js';

/**
 * The results of one run: a row per agent (and target), inserted in agent order as answers
 * arrive; a click opens the row's details.
 */
export class ResultsView {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly status: HTMLElement;
  private rows: Row[] = [];
  private readonly open = new Set<string>();
  private readonly showTarget: boolean;
  private readonly compare: CompareView;

  constructor(
    private readonly type: string,
    targets: string[],
    title: string,
  ) {
    this.showTarget = targets.length > 1;
    this.body = h('tbody');
    this.status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' }, 'Waiting for agents…');
    const headers = ['Agent', ...(this.showTarget ? [type === 'dns' ? 'Resolver' : 'Target'] : []), 'Status', 'Result', 'Note', 'History'];
    const table = h('div', { class: 'scroll panel table' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))), this.body));
    this.compare = new CompareView(type, table, () => this.render());
    this.el = h('section', { class: 'results', 'data-type': type }, h('h2', {}, title), this.status, this.compare.groupsBox, this.compare.tabsBox, ...this.compare.panelEls);
  }

  add(row: Row): void {
    this.rows.push(row);
    this.render();
    this.status.textContent = `${this.rows.length} answer${this.rows.length === 1 ? '' : 's'} so far…`;
  }

  done(summary: Summary, ids: string[]): void {
    const parts = [
      h('span', { class: 'badge ok' }, `${summary.ok} ok`),
      h('span', { class: 'badge failed' }, `${summary.failed} failed`),
      h('span', { class: 'badge timeout' }, `${summary.timeout} timed out`),
      h('span', { class: 'badge offline' }, `${summary.offline} offline`),
    ];
    clear(this.status);
    this.status.className = 'summary';
    this.status.append(...parts);
    if (this.rows.length === 0) this.status.append(h('span', { class: 'muted' }, ' no agent matched the selector'));
    // One link for the whole run (a dns run asks each resolver in a measurement of its own).
    if (ids.length > 0) this.status.append(' ', h('a', { href: `#/m/${ids.join(',')}`, class: 'muted permalink', title: 'the address of this run, to share or reload' }, 'link to this run'), ' ', this.compare.downloads(ids));
  }

  private key(r: Row): string {
    return `${r.agent}\u0000${r.target}`;
  }

  private render(): void {
    clear(this.body);
    this.compare.update(this.rows);
    const only = this.compare.filter;
    for (const r of sortRows(this.rows)) {
      if (only !== undefined && outcomeOf(this.type, r).key !== only) continue;
      const k = this.key(r);
      const cells = [
        h('td', { class: 'agent', 'data-label': 'Agent' }, r.agent),
        this.showTarget ? h('td', { 'data-label': 'Target' }, r.target) : null,
        h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${r.status}` }, r.status)),
        h('td', { class: 'figure', 'data-label': 'Result' }, keyFigure(this.type, r)),
        h('td', { class: 'note', 'data-label': 'Note' }, note(r)),
        h('td', { class: 'history-link', 'data-label': 'History' }, this.historyLink(r)),
      ];
      const tr = h('tr', {
        class: `row ${r.status}${this.open.has(k) ? ' open' : ''}`,
        'data-agent': r.agent,
        'data-status': r.status,
        tabindex: 0,
        'aria-expanded': this.open.has(k) ? 'true' : 'false',
        onclick: () => this.toggle(k),
        onkeydown: (ev: Event) => {
          // Enter on the history link inside the row follows the link, it does not open the row.
          if (ev.target !== ev.currentTarget) return;
          const key = (ev as KeyboardEvent).key;
          if (key === 'Enter' || key === ' ') {
            ev.preventDefault();
            this.toggle(k);
          }
        },
      }, ...cells);
      this.body.append(tr);
      if (this.open.has(k)) {
        const span = cells.filter((c) => c !== null).length;
        this.body.append(h('tr', { class: 'detail-row' }, h('td', { colspan: span }, detailView(this.type, r))));
      }
    }
  }

  /** "This test from this agent over time": the history view, filtered to the row's test and agent. */
  private historyLink(r: Row): HTMLElement {
    return h(
      'a',
      {
        href: historyHash({ type: this.type, target: r.target, agent: r.agent }),
        class: 'over-time',
        title: `this test from ${r.agent} over time`,
        'aria-label': `history: this test from ${r.agent} over time`,
        // A click on the link is not a click on the row (which would open its details).
        onclick: (ev: Event) => ev.stopPropagation(),
      },
      'over time',
    );
  }

  private toggle(k: string): void {
    if (this.open.has(k)) this.open.delete(k);
    else this.open.add(k);
    this.render();
  }
}
