import { clear, h } from './dom.js';
import { type Field, fieldsFor, type TestKind, type TestTab, type Values } from './tests.js';

export interface FormValues {
  kind: TestKind;
  /** The tab's test type (undefined before the hub's list of types arrived). */
  tab: TestTab | undefined;
  values: Values;
  agents: string;
  timeout: string;
}

/** The test picker and its fields; remembers what was typed per test while switching. */
export class TestForm {
  readonly el: HTMLFormElement;
  private kind: TestKind = 'dns';
  private readonly fieldsBox: HTMLElement;
  private readonly agents: HTMLInputElement;
  private readonly timeout: HTMLInputElement;
  private readonly labelList: HTMLDataListElement;
  private readonly typed = new Map<TestKind, Values>();
  private readonly picker: HTMLElement;
  private tabs: TestTab[] = [];
  readonly button: HTMLButtonElement;

  constructor(onSubmit: (v: FormValues) => void) {
    this.fieldsBox = h('div', { class: 'fields' });
    this.labelList = h('datalist', { id: 'label-choices' });
    this.agents = h('input', { id: 'f-agents', name: 'agents', type: 'text', placeholder: 'all agents, or e.g. region=eu', list: 'label-choices', autocomplete: 'off' });
    this.timeout = h('input', { id: 'f-timeout', name: 'timeout', type: 'number', min: 1, max: 120, step: 1, value: 10 });
    this.button = h('button', { type: 'submit', class: 'run' }, 'Run');
    this.picker = h('div', { class: 'kinds', role: 'radiogroup', 'aria-label': 'Test' });
    const picker = this.picker;
    this.el = h(
      'form',
      {
        class: 'test-form',
        novalidate: true,
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          onSubmit(this.read());
        },
      },
      picker,
      this.fieldsBox,
      h(
        'div',
        { class: 'fields common' },
        h('label', { class: 'field wide' }, h('span', {}, 'Agents'), this.agents, h('small', {}, 'label=value pairs, comma-separated; name=AGENT picks one')),
        h('label', { class: 'field' }, h('span', {}, 'Timeout (s)'), this.timeout),
        this.labelList,
      ),
      h('div', { class: 'actions' }, this.button),
    );
    this.renderFields();
  }

  /** One tab per test type the hub offers (its GET /api/v1/types, from the prober catalog). */
  setTabs(tabs: TestTab[]): void {
    this.tabs = tabs;
    if (!tabs.some((t) => t.kind === this.kind) && tabs[0]) this.kind = tabs[0].kind;
    clear(this.picker);
    for (const k of tabs) {
      this.picker.append(
        h(
          'label',
          { class: 'kind', title: k.summary },
          h('input', { type: 'radio', name: 'kind', value: k.kind, checked: k.kind === this.kind, onchange: () => this.pick(k.kind) }),
          h('span', {}, k.title),
        ),
      );
    }
    this.renderFields();
  }

  private tab(): TestTab | undefined {
    return this.tabs.find((t) => t.kind === this.kind);
  }

  /** Offers the fleet's label pairs as suggestions in the agents field. */
  suggestLabels(pairs: string[]): void {
    clear(this.labelList);
    for (const p of pairs) this.labelList.append(h('option', { value: p }));
  }

  private pick(kind: TestKind): void {
    this.typed.set(this.kind, this.read().values);
    this.kind = kind;
    this.renderFields();
  }

  private renderFields(): void {
    clear(this.fieldsBox);
    const saved = this.typed.get(this.kind);
    for (const f of fieldsFor(this.kind, this.tab())) this.fieldsBox.append(fieldEl(f, saved?.[f.name]));
    const first = this.fieldsBox.querySelector('input');
    first?.focus();
  }

  read(): FormValues {
    const values: Values = {};
    for (const el of Array.from(this.fieldsBox.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field]'))) {
      const name = el.dataset.field!;
      values[name] = el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value;
    }
    return { kind: this.kind, tab: this.tab(), values, agents: this.agents.value, timeout: this.timeout.value };
  }
}

function fieldEl(f: Field, saved: string | undefined): HTMLElement {
  const id = `f-${f.name}`;
  const value = saved ?? f.value;
  let input: HTMLElement;
  if (f.kind === 'select') {
    input = h('select', { id, 'data-field': f.name, name: f.name }, ...(f.choices ?? []).map((c) => h('option', { value: c, selected: c === value }, c)));
  } else if (f.kind === 'checkbox') {
    return h('label', { class: 'field check' }, h('input', { id, type: 'checkbox', 'data-field': f.name, name: f.name, checked: value === 'true' }), h('span', {}, f.label), f.hint ? h('small', {}, f.hint) : null);
  } else {
    input = h('input', {
      id,
      'data-field': f.name,
      name: f.name,
      type: f.kind === 'number' ? 'number' : 'text',
      value,
      placeholder: f.placeholder,
      required: f.required,
      autocomplete: 'off',
      spellcheck: 'false',
      ...(f.kind === 'number' ? { min: 1 } : {}),
    });
  }
  return h('label', { class: `field${f.kind === 'text' ? ' wide' : ''}` }, h('span', {}, f.label), input, f.hint ? h('small', {}, f.hint) : null);
}
