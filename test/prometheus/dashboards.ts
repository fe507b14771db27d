import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');
export const DASHBOARD_DIR = join(REPO, 'grafana/dashboards');

export interface DashboardTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
  [key: string]: unknown;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: DashboardTarget[];
  panels?: Panel[];
  repeat?: string;
  [key: string]: unknown;
}

export interface TemplateVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
  [key: string]: unknown;
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
  [key: string]: unknown;
}

export interface LoadedDashboard {
  file: string;
  dashboard: Dashboard;
}

/** One PromQL expression of a dashboard, with where it comes from for messages. */
export interface DashboardQuery {
  where: string;
  expr: string;
}

/** Grafana's own variables: always defined, never in `templating`. */
export const BUILTIN_VARIABLES = new Set([
  '__interval',
  '__interval_ms',
  '__rate_interval',
  '__rate_interval_ms',
  '__range',
  '__range_s',
  '__range_ms',
  '__from',
  '__to',
  '__name',
  '__org',
  '__user',
  '__dashboard',
  '__all',
  '__timeFilter',
]);

export function loadDashboards(dir = DASHBOARD_DIR): LoadedDashboard[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Dashboard }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (ps: Panel[]) => {
    for (const p of ps) {
      out.push(p);
      if (p.panels) walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

export function variableQuery(v: TemplateVariable): string | undefined {
  if (typeof v.query === 'string') return v.query;
  return v.query?.query;
}

/**
 * `label_values(selector, label)` as plain PromQL that returns the same label values, so that
 * variable queries can be parsed and run like panel queries. Undefined for other query forms.
 */
export function labelValuesAsPromql(query: string): string | undefined {
  const m = /^\s*label_values\(\s*(.+),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s.exec(query);
  if (!m) return undefined;
  return `count by (${m[2]}) (${m[1]})`;
}

/** Every PromQL expression of a dashboard: panel queries, then variable queries. */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      if (t.expr) out.push({ where: `${d.uid} panel ${p.id} "${p.title}" ${t.refId ?? ''}`.trim(), expr: t.expr });
    }
  }
  for (const v of d.templating.list) {
    const q = v.type === 'query' ? variableQuery(v) : undefined;
    const promql = q === undefined ? undefined : labelValuesAsPromql(q);
    if (promql) out.push({ where: `${d.uid} variable $${v.name}`, expr: promql });
  }
  return out;
}

const VARIABLE_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\[\[([A-Za-z_][A-Za-z0-9_]*)(?::[^\]]*)?\]\]|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Names of the variables a string refers to ($name, ${name}, ${name:format}, [[name]]). */
export function variablesIn(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(VARIABLE_REFERENCE)) names.push((m[1] ?? m[2] ?? m[3])!);
  return names;
}

/** Every variable referenced anywhere in the dashboard (panels, targets, templating, links). */
export function variablesUsed(d: Dashboard): Set<string> {
  const used = new Set<string>();
  const walk = (value: unknown) => {
    if (typeof value === 'string') for (const n of variablesIn(value)) used.add(n);
    else if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  walk(d.panels);
  walk(d.templating.list.map((v) => ({ query: v.query, datasource: v.datasource })));
  for (const p of allPanels(d)) if (p.repeat) used.add(p.repeat);
  return used;
}

export interface Substitutions {
  /** Dashboard variables; any not listed becomes `.*` (Grafana's "All" with allValue `.*`). */
  variables?: Record<string, string>;
  rateInterval: string;
  range: string;
  interval: string;
}

/** Replaces Grafana variables by concrete values, as Grafana does before sending a query. */
export function substitute(expr: string, s: Substitutions): string {
  const builtins: Record<string, string> = {
    __rate_interval: s.rateInterval,
    __range: s.range,
    __interval: s.interval,
  };
  return expr.replace(VARIABLE_REFERENCE, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    if (name in builtins) return builtins[name]!;
    if (name.startsWith('__')) return whole;
    return s.variables?.[name] ?? '.*';
  });
}

interface FieldOverride {
  matcher?: { id?: string; options?: unknown };
  properties?: { id?: string; value?: unknown }[];
}
interface FieldConfig {
  defaults?: { unit?: string };
  overrides?: FieldOverride[];
}

/**
 * The unit Grafana shows a table query's value column in: the column is named `Value #<refId>`,
 * or what an organize transformation renames it to; a byName override on that name wins over
 * the panel's default unit.
 */
export function tableColumnUnit(panel: Panel, refId: string): string | undefined {
  const transformations = (panel['transformations'] ?? []) as { id?: string; options?: { renameByName?: Record<string, string> } }[];
  const renamed = transformations.find((t) => t.id === 'organize')?.options?.renameByName?.[`Value #${refId}`];
  const column = renamed ?? `Value #${refId}`;
  const config = (panel['fieldConfig'] ?? {}) as FieldConfig;
  for (const o of config.overrides ?? []) {
    if (o.matcher?.id !== 'byName' || o.matcher.options !== column) continue;
    const unit = o.properties?.find((p) => p.id === 'unit')?.value;
    if (typeof unit === 'string') return unit;
  }
  return config.defaults?.unit;
}

/** Label lists of `sum by (...)` aggregations applied directly to a `*_duration_seconds` gauge. */
export function durationSums(expr: string): string[][] {
  const out: string[][] = [];
  for (const m of expr.matchAll(/sum\s+by\s*\(([^)]*)\)\s*\(\s*(probe_\w*_duration_seconds)\b/g)) {
    out.push(m[1]!.split(',').map((l) => l.trim()).filter(Boolean));
  }
  return out;
}
