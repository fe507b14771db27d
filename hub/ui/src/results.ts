import type { Row, Summary } from '../../../cli/core/api.js';
import { keyFigure, note } from '../../../cli/core/figures.js';
import { sortRows } from '../../../cli/format/results.js';
import { detailView } from './detail.js';
import { clear, h } from './dom.js';

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

  constructor(
    private readonly type: string,
    targets: string[],
    title: string,
  ) {
    this.showTarget = targets.length > 1;
    this.body = h('tbody');
    this.status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' }, 'Waiting for agents…');
    const headers = ['Agent', ...(this.showTarget ? [type === 'dns' ? 'Resolver' : 'Target'] : []), 'Status', 'Result', 'Note'];
    this.el = h(
      'section',
      { class: 'results', 'data-type': type },
      h('h2', {}, title),
      this.status,
      h('div', { class: 'scroll' }, h('table', { class: 'rows' }, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))), this.body)),
    );
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
    for (const id of ids) this.status.append(' ', h('a', { href: `#/m/${id}`, class: 'muted permalink' }, 'link'));
  }

  private key(r: Row): string {
    return `${r.agent}\u0000${r.target}`;
  }

  private render(): void {
    clear(this.body);
    for (const r of sortRows(this.rows)) {
      const k = this.key(r);
      const cells = [
        h('td', { class: 'agent', 'data-label': 'Agent' }, r.agent),
        this.showTarget ? h('td', { 'data-label': 'Target' }, r.target) : null,
        h('td', { 'data-label': 'Status' }, h('span', { class: `badge ${r.status}` }, r.status)),
        h('td', { class: 'figure', 'data-label': 'Result' }, keyFigure(this.type, r)),
        h('td', { class: 'note', 'data-label': 'Note' }, note(r)),
      ];
      const tr = h('tr', {
        class: `row ${r.status}${this.open.has(k) ? ' open' : ''}`,
        'data-agent': r.agent,
        'data-status': r.status,
        tabindex: 0,
        'aria-expanded': this.open.has(k) ? 'true' : 'false',
        onclick: () => this.toggle(k),
        onkeydown: (ev: Event) => {
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

  private toggle(k: string): void {
    if (this.open.has(k)) this.open.delete(k);
    else this.open.add(k);
    this.render();
  }
}
