import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allPanels,
  BUILTIN_VARIABLES,
  type Dashboard,
  dashboardQueries,
  durationSums,
  labelValuesAsPromql,
  loadDashboards,
  REPO,
  substitute,
  tableColumnUnit,
  variablesIn,
  variablesUsed,
} from './dashboards.js';
import { promtool } from './promtool.js';

const dashboards = loadDashboards();
const SUBST = { rateInterval: '1m', range: '1h', interval: '30s' };
/** Grafana's datasource variable, literally (not a JavaScript template). */
const DATASOURCE_VAR = ['$', '{datasource}'].join('');

/** Every PromQL expression as a recording rule: `promtool check rules` parses each one. */
function asRuleFile(exprs: { where: string; expr: string }[]): string {
  return stringify({
    groups: exprs.map((q, i) => ({ name: `q${i} ${q.where}`, rules: [{ record: `dashboard:query:q${i}`, expr: q.expr }] })),
  });
}

describe('helpers', () => {
  it('find variable references in every Grafana syntax', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax, not a JavaScript template
    expect(variablesIn('up{a=~"$agent", b="${module}", c="${target:regex}", d="[[old]]"}[$__rate_interval]')).toEqual(['agent', 'module', 'target', 'old', '__rate_interval']);
    expect(variablesIn('label_replace(up, "x", "$1", "y", "(.*)")')).toEqual([]);
  });

  it('substitute variables and interval macros as Grafana does', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable syntax, not a JavaScript template
    expect(substitute('rate(x{agent=~"$agent", m="${module}"}[$__rate_interval]) [$__range]', { ...SUBST, variables: { module: 'http_2xx' } })).toBe(
      'rate(x{agent=~".*", m="http_2xx"}[1m]) [1h]',
    );
  });

  it('find the unit of a renamed table column, its override first', () => {
    const panel = {
      id: 1,
      type: 'table',
      title: 't',
      transformations: [{ id: 'organize', options: { renameByName: { 'Value #C': 'age' } } }],
      fieldConfig: { defaults: { unit: 'short' }, overrides: [{ matcher: { id: 'byName', options: 'age' }, properties: [{ id: 'unit', value: 's' }] }] },
    };
    expect(tableColumnUnit(panel, 'C')).toBe('s');
    expect(tableColumnUnit(panel, 'B')).toBe('short');
    expect(tableColumnUnit({ ...panel, transformations: [] }, 'C')).toBe('short');
  });

  it('find sums of probe durations and the labels they keep', () => {
    expect(durationSums('sum by (phase) (probe_http_duration_seconds{agent=~"x"})')).toEqual([['phase']]);
    expect(durationSums('sum by (agent, module, instance) (probe_dns_duration_seconds)')).toEqual([['agent', 'module', 'instance']]);
    expect(durationSums('avg by (phase) (probe_http_duration_seconds) + sum without (phase) (probe_http_duration_seconds)')).toEqual([]);
  });

  it('turn label_values() variable queries into PromQL', () => {
    expect(labelValuesAsPromql('label_values(probe_success{agent=~"$agent"}, module)')).toBe('count by (module) (probe_success{agent=~"$agent"})');
    expect(labelValuesAsPromql('label_values(agent)')).toBeUndefined();
  });
});

describe('grafana/dashboards', () => {
  it('ships the five dashboards', () => {
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual(['pulse-dns', 'pulse-exporter', 'pulse-fleet', 'pulse-http', 'pulse-path']);
    expect(new Set(dashboards.map((d) => d.dashboard.title)).size).toBe(dashboards.length);
  });

  describe.each(dashboards.map((d) => [d.file, d.dashboard] as [string, Dashboard]))('%s', (_file, d) => {
    it('has a datasource variable and no hard-coded datasource uid', () => {
      const ds = d.templating.list.find((v) => v.type === 'datasource');
      expect(ds?.name).toBe('datasource');
      expect(ds?.['query']).toBe('prometheus');
      const uids = new Set<string>();
      const walk = (value: unknown, key = '') => {
        // A datasource given by name (old dashboards) is as hard-coded as one given by uid.
        if (key === 'datasource' && typeof value === 'string') uids.add(value);
        if (key === 'datasource' && value && typeof value === 'object') uids.add(String((value as { uid?: unknown }).uid));
        if (Array.isArray(value)) for (const v of value) walk(v);
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
      };
      walk(d.panels);
      walk(d.templating.list);
      expect([...uids]).toEqual([DATASOURCE_VAR]);
      expect(JSON.stringify(d)).not.toContain('DS_PROMETHEUS');
    });

    it('has agent and target variables, and a module variable where probes have modules', () => {
      const names = d.templating.list.map((v) => v.name);
      expect(names).toContain('agent');
      if (d.uid !== 'pulse-exporter') expect(names).toEqual(expect.arrayContaining(['module', 'target']));
      for (const v of d.templating.list.filter((x) => x.type === 'query')) {
        expect(v.datasource?.uid, v.name).toBe(DATASOURCE_VAR);
        expect(v['includeAll'] ? v['allValue'] : '.*', v.name).toBe('.*');
      }
    });

    it('has unique panel ids and a query in every panel but rows', () => {
      const panels = allPanels(d);
      const ids = panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
      for (const p of panels.filter((x) => x.type !== 'row')) {
        expect(p.targets?.length ?? 0, `panel ${p.id} "${p.title}"`).toBeGreaterThan(0);
        for (const t of p.targets!) {
          expect(t.expr?.trim(), `panel ${p.id} "${p.title}" ${t.refId}`).toBeTruthy();
          expect(t.datasource?.uid).toBe(DATASOURCE_VAR);
        }
        const refIds = p.targets!.map((t) => t.refId);
        expect(new Set(refIds).size, `panel ${p.id} refIds`).toBe(refIds.length);
      }
    });

    it('defines every variable it uses', () => {
      const defined = new Set(d.templating.list.map((v) => v.name));
      for (const name of variablesUsed(d)) {
        expect(defined.has(name) || BUILTIN_VARIABLES.has(name), `$${name} used in ${d.uid} but not defined`).toBe(true);
      }
    });

    it('shows table columns computed from time() (ages, time left) in seconds, not as plain numbers', () => {
      for (const p of allPanels(d).filter((x) => x.type === 'table')) {
        for (const t of p.targets ?? []) {
          if (t.expr?.includes('time()')) expect(tableColumnUnit(p, t.refId ?? ''), `panel ${p.id} "${p.title}" ${t.refId}`).toBe('s');
        }
      }
    });

    it('sums probe durations only across phases, never across agents, targets or modules', () => {
      // Probe durations are gauges: adding two agents' or two targets' times gives a time nobody measured.
      for (const q of dashboardQueries(d)) {
        for (const by of durationSums(q.expr)) expect(by, q.where).toEqual(expect.arrayContaining(['agent', 'module', 'instance']));
      }
    });

    it('lays panels out without overlaps on the 24-column grid', () => {
      const boxes = d.panels.map((p) => p['gridPos'] as { x: number; y: number; w: number; h: number });
      for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(24);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `panels ${d.panels[i]!.id} and ${d.panels[j]!.id} overlap`).toBe(false);
        }
      }
    });
  });
});

describe('dashboard PromQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-dash-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('parses: promtool check rules accepts every panel and variable query as a recording rule', async () => {
    const queries = dashboards.flatMap((d) => dashboardQueries(d.dashboard)).map((q) => ({ ...q, expr: substitute(q.expr, SUBST) }));
    expect(queries.length).toBeGreaterThan(50);
    const file = join(dir, 'queries.rules.yml');
    await writeFile(file, asRuleFile(queries));
    const r = await promtool(['check', 'rules', '--lint=none', file]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it('and the check catches a broken expression', async () => {
    const file = join(dir, 'broken.rules.yml');
    await writeFile(file, asRuleFile([{ where: 'broken panel', expr: 'sum by (agent (probe_success)' }]));
    const r = await promtool(['check', 'rules', file]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('broken panel');
  });
});

describe('grafana/provisioning', () => {
  it('provisions a Prometheus datasource and a file provider for the dashboards', async () => {
    const ds = parse(await readFile(join(REPO, 'grafana/provisioning/datasources/pulse.yml'), 'utf8')) as {
      apiVersion: number;
      datasources: { type: string; url: string; access: string }[];
    };
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toHaveLength(1);
    expect(ds.datasources[0]).toMatchObject({ type: 'prometheus', access: 'proxy' });
    expect(() => new URL(ds.datasources[0]!.url)).not.toThrow();
    const dash = parse(await readFile(join(REPO, 'grafana/provisioning/dashboards/pulse.yml'), 'utf8')) as {
      apiVersion: number;
      providers: { type: string; folder: string; options: { path: string } }[];
    };
    expect(dash.apiVersion).toBe(1);
    expect(dash.providers[0]).toMatchObject({ type: 'file', folder: 'Pulse' });
    expect(dash.providers[0]!.options.path).toMatch(/^\//);
  });
});
