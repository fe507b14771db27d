import { runHeading } from '../../../client/title.js';
import { emptySummary, type Summary } from '../../../client/api.js';
import { parseSelector } from '../../../client/selector.js';
import { agentsView } from './agents.js';
import { getMeasurement, listAgents, listTestTypes, runStreaming } from './api.js';
import { byId, clear, h } from './dom.js';
import { type FormValues, TestForm } from './form.js';
import { historyView } from './history.js';
import { ResultsView } from './results.js';
import { requestsFrom, testTabs } from './tests.js';

/** The hub's page: run a test and watch rows arrive (#/), the fleet (#/agents), a past run (#/m/ID). */

const AGENTS_REFRESH_MS = 5000;
/** Headings by test type, from the hub's list of types. */
const TITLES = new Map<string, string>();

function showError(err: unknown): void {
  const box = byId('error');
  clear(box);
  if (err === undefined) {
    box.hidden = true;
    return;
  }
  // The hub's errors (client/errors.ts) carry its PULSE_* code; anything else shows its message.
  const code = (err as { code?: unknown }).code;
  box.append(h('strong', {}, 'Error: '), (err as Error).message ?? String(err));
  if (typeof code === 'string') box.append(h('small', { class: 'code' }, ` ${code}`));
  box.hidden = false;
}

function sumSummaries(list: Summary[]): Summary {
  const total = emptySummary();
  for (const one of list) for (const k of Object.keys(total) as (keyof Summary)[]) total[k] += one[k];
  return total;
}

/** What the views share: where they draw, the run view (the form above its results), the page's timers. */
interface Page {
  view: HTMLElement;
  runView: HTMLElement;
  out: HTMLElement;
  form: TestForm;
  /** The run in progress; a new run aborts it. */
  running?: AbortController;
  /** The fleet view's refresh timer while it is on screen. */
  refresh?: number;
  /** The test types' titles: a permalink's heading waits for them. */
  typesLoaded: Promise<void>;
}

/** The form's requests, or undefined after showing why there are none. */
function requestsOf(v: FormValues): ReturnType<typeof requestsFrom> | undefined {
  try {
    const timeout = v.timeout.trim() === '' ? undefined : Number(v.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new Error('Timeout must be a number of seconds');
    return requestsFrom(v.kind, v.values, parseSelector([v.agents]), timeout, v.tab);
  } catch (err) {
    showError(err);
    return undefined;
  }
}

async function run(page: Page, v: FormValues): Promise<void> {
  showError(undefined);
  const reqs = requestsOf(v);
  if (!reqs) return;
  const { out, form } = page;
  page.running?.abort();
  const ctl = new AbortController();
  page.running = ctl;
  const first = reqs[0]!;
  const targets = reqs.map((r) => r.target);
  const results = new ResultsView(first.type, targets, runHeading(TITLES.get(first.type) ?? first.type, first.type, targets, first.options));
  clear(out);
  out.append(results.el);
  form.button.disabled = true;
  const total: Summary = emptySummary();
  const ids: string[] = [];
  try {
    await Promise.all(
      reqs.map(async (req) => {
        const done = await runStreaming(req, (row) => results.add(row), ctl.signal);
        ids.push(done.id);
        for (const k of Object.keys(total) as (keyof Summary)[]) total[k] += done.summary[k];
      }),
    );
    results.done(total, ids);
    // The address follows the run, so it can be shared or reloaded (no hashchange: no re-render).
    if (ids.length > 0) history.replaceState(null, '', `#/m/${ids.join(',')}`);
  } catch (err) {
    if (!ctl.signal.aborted) {
      showError(err);
      // Nothing arrived: an empty table under the error only confuses.
      if (results.el.querySelector('tbody tr') === null) clear(out);
    }
  } finally {
    if (page.running === ctl) form.button.disabled = false;
  }
}

/** The fleet, refreshed while it is on screen so agents coming and going show up. */
async function showAgents(page: Page): Promise<void> {
  const box = h('div', { class: 'agents-view' }, h('p', { class: 'muted' }, 'Loading agents…'));
  clear(page.view);
  page.view.append(box);
  const load = async () => {
    try {
      const agents = await listAgents();
      clear(box);
      box.append(agentsView(agents, new Date()));
      showError(undefined);
    } catch (err) {
      showError(err);
    }
  };
  page.refresh = window.setInterval(() => void load(), AGENTS_REFRESH_MS);
  await load();
}

async function showMeasurement(page: Page, id: string): Promise<void> {
  clear(page.view);
  page.view.append(page.runView);
  try {
    const [ms] = await Promise.all([Promise.all(id.split(',').map((one) => getMeasurement(one))), page.typesLoaded]);
    const m = ms[0]!;
    const rows = ms.flatMap((x) => x.rows);
    // A dns run over several resolvers is one measurement per resolver: the link names them all.
    const targets = [...new Set(ms.map((x) => x.target))];
    const results = new ResultsView(m.type, targets, runHeading(TITLES.get(m.type) ?? m.type, m.type, targets, m.options));
    for (const r of rows) results.add(r);
    if (ms.every((x) => x.status === 'done')) results.done(sumSummaries(ms.map((x) => x.summary)), ms.map((x) => x.id));
    clear(page.out);
    page.out.append(results.el);
  } catch (err) {
    showError(err);
  }
}

/** The agent selector's suggestions: every agent's name and labels. */
async function suggest(form: TestForm): Promise<void> {
  try {
    const agents = await listAgents();
    const pairs = new Set<string>();
    for (const a of agents) {
      pairs.add(`name=${a.name}`);
      for (const [k, val] of Object.entries(a.labels)) pairs.add(`${k}=${val}`);
    }
    form.suggestLabels([...pairs].sort());
  } catch {
    // Suggestions are a convenience; a real error shows when a test runs.
  }
}

function route(page: Page): void {
  const { view, runView } = page;
  showError(undefined);
  if (page.refresh !== undefined) window.clearInterval(page.refresh);
  page.refresh = undefined;
  const full = location.hash.replace(/^#\/?/, '');
  // #/history takes its filter after a "?" (history.ts's historyHash).
  const [hash = '', query = ''] = full.split(/\?(.*)/s);
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('nav a'))) {
    a.classList.toggle('active', a.getAttribute('href') === (hash.startsWith('agents') ? '#/agents' : hash === 'history' ? '#/history' : '#/'));
  }
  if (hash === 'agents') {
    void showAgents(page);
  } else if (hash === 'history') {
    clear(view);
    view.append(historyView(showError, new URLSearchParams(query)));
  } else if (full.startsWith('m/')) {
    void showMeasurement(page, decodeURIComponent(full.slice(2)));
  } else {
    clear(view);
    view.append(runView);
  }
}

async function loadTypes(form: TestForm): Promise<void> {
  try {
    const types = await listTestTypes();
    for (const t of types) TITLES.set(t.type, t.title);
    form.setTabs(testTabs(types));
  } catch (err) {
    showError(err);
  }
}

function boot(): void {
  const form = new TestForm((v) => {
    void run(page, v);
  });
  const page: Page = { view: byId('view'), runView: h('div', { class: 'run-view' }), out: h('div', { class: 'out' }), form, typesLoaded: Promise.resolve() };
  page.runView.append(form.el, page.out);
  window.addEventListener('hashchange', () => route(page));
  // A permalink's heading needs the types' titles: showMeasurement waits for this.
  page.typesLoaded = loadTypes(form);
  route(page);
  void suggest(form);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
