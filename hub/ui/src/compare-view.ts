import type { Row } from '../../../client/api.js';
import { rowsCsv, rowsJson } from '../../../client/export.js';
import { compareChart } from './charts.js';
import { clear, h } from './dom.js';
import { groupsView } from './groups-view.js';
import { pathsView } from './paths-view.js';

/**
 * What a run's results add to the table: the groups, and tabs for the table, a comparison chart
 * and (mtr) the merged paths; plus CSV and JSON downloads once the run is done.
 */

type Tab = 'table' | 'chart' | 'paths';

const TAB_TITLES: Record<Tab, string> = { table: 'Table', chart: 'Chart', paths: 'Paths' };

export class CompareView {
  readonly groupsBox: HTMLElement;
  readonly tabsBox: HTMLElement;
  private readonly panels = new Map<Tab, HTMLElement>();
  private readonly buttons = new Map<Tab, HTMLButtonElement>();
  private readonly tabs: Tab[];
  private active: Tab = 'table';
  private rows: readonly Row[] = [];
  /** The group whose rows alone the table shows, if one was picked. */
  filter: string | undefined;

  constructor(
    private readonly type: string,
    tablePanel: HTMLElement,
    private readonly onFilter: () => void,
  ) {
    this.tabs = type === 'mtr' ? ['table', 'chart', 'paths'] : ['table', 'chart'];
    this.groupsBox = h('div', { class: 'groups-box' });
    this.panels.set('table', tablePanel);
    for (const t of this.tabs) {
      if (t !== 'table') this.panels.set(t, h('div', { class: `panel ${t}` }));
      const panel = this.panels.get(t)!;
      panel.id = `panel-${t}`;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', `tab-${t}`);
      panel.tabIndex = 0;
      panel.hidden = t !== this.active;
      const b = h(
        'button',
        { type: 'button', role: 'tab', id: `tab-${t}`, class: 'tab', 'aria-controls': `panel-${t}`, onclick: () => this.select(t, false), onkeydown: (ev: Event) => this.key(ev as KeyboardEvent) },
        TAB_TITLES[t],
      );
      this.buttons.set(t, b);
    }
    this.tabsBox = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views of the results' }, ...this.tabs.map((t) => this.buttons.get(t)!));
    this.mark();
  }

  get panelEls(): HTMLElement[] {
    return this.tabs.map((t) => this.panels.get(t)!);
  }

  update(rows: readonly Row[]): void {
    this.rows = rows;
    clear(this.groupsBox);
    if (rows.length > 1) {
      this.groupsBox.append(
        groupsView(this.type, rows, this.filter, (key) => {
          this.filter = key;
          this.select('table', false);
          this.onFilter();
        }),
      );
    }
    this.drawActive();
  }

  /** Links to download the rows, named after the measurement ids. */
  downloads(ids: string[]): HTMLElement {
    const name = `pulse-${this.type}-${ids.join('+') || 'results'}`;
    // The file is made when clicked, from the rows shown then, as a blob: a data: address would
    // hit the browser's size limit on a large fleet.
    const link = (cls: string, file: string, mime: string, text: () => string) =>
      h(
        'a',
        {
          class: `download ${cls}`,
          download: file,
          href: '#',
          onclick: (ev: Event) => {
            const a = ev.currentTarget as HTMLAnchorElement;
            const url = URL.createObjectURL(new Blob([text()], { type: mime }));
            a.href = url;
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          },
        },
        cls.toUpperCase(),
      );
    return h(
      'span',
      { class: 'downloads' },
      link('csv', `${name}.csv`, 'text/csv;charset=utf-8', () => rowsCsv(this.type, this.rows)),
      ' ',
      link('json', `${name}.json`, 'application/json', () => rowsJson({ type: this.type, ids, rows: this.rows })),
    );
  }

  private drawActive(): void {
    const panel = this.panels.get(this.active)!;
    if (this.active === 'table') return;
    clear(panel);
    if (this.rows.length === 0) panel.append(h('p', { class: 'muted' }, 'No answers yet.'));
    else panel.append(this.active === 'chart' ? compareChart(this.type, this.rows) : pathsView(this.rows));
  }

  private select(t: Tab, focus: boolean): void {
    this.active = t;
    for (const [k, p] of this.panels) p.hidden = k !== t;
    this.mark();
    this.drawActive();
    if (focus) this.buttons.get(t)!.focus();
  }

  private mark(): void {
    for (const [k, b] of this.buttons) {
      b.setAttribute('aria-selected', k === this.active ? 'true' : 'false');
      // One tab stop for the list; the arrow keys move within it (WAI-ARIA tabs pattern).
      b.tabIndex = k === this.active ? 0 : -1;
    }
  }

  private key(ev: KeyboardEvent): void {
    const i = this.tabs.indexOf(this.active);
    const next: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.tabs.length - 1 };
    const to = next[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    this.select(this.tabs[(to + this.tabs.length) % this.tabs.length]!, true);
  }
}
