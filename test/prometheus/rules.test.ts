import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from './dashboards.js';
import { SHIPPED_RULES } from './fill-config.js';
import { promtool } from './promtool.js';

const RULES_TESTS = join(REPO, 'prometheus/rules/pulse.rules.test.yml');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface AlertTest {
  alertname: string;
  exp_alerts: { exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }[];
}

async function shippedRules(): Promise<Rule[]> {
  const doc = parse(await readFile(SHIPPED_RULES, 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

describe('prometheus/rules', () => {
  it('pass promtool check rules', async () => {
    const r = await promtool(['check', 'rules', SHIPPED_RULES]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('pass their promtool unit tests', async () => {
    const r = await promtool(['test', 'rules', RULES_TESTS]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('give every alert a for:, a severity, a summary and a description', async () => {
    const alerts = (await shippedRules()).filter((r) => r.alert);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const a of alerts) {
      expect(a.for, a.alert).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning', 'info'], a.alert).toContain(a.labels?.['severity']);
      expect(a.annotations?.['summary'], a.alert).toBeTruthy();
      expect(a.annotations?.['description'], a.alert).toBeTruthy();
    }
  });

  it('cover the alerts the issue asks for', async () => {
    const names = (await shippedRules()).map((r) => r.alert ?? r.record);
    for (const n of [
      'pulse_target:probe_success:ratio',
      'pulse_agent:probe_success:ratio',
      'PulseTargetDown',
      'PulseTargetFailingFromSomeAgents',
      'PulseHttpSlow',
      'PulseDnsSlow',
      'PulseIcmpPacketLoss',
      'PulseMtrPacketLoss',
      'PulseMtrPathChanged',
      'PulseTlsCertificateExpiringSoon',
      'PulseAgentInactive',
      'PulseExporterDown',
      'PulseExporterConfigReloadFailed',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('have unit tests in which every alert both fires and stays silent', async () => {
    const alerts = (await shippedRules()).flatMap((r) => (r.alert ? [r.alert] : []));
    const doc = parse(await readFile(RULES_TESTS, 'utf8')) as { tests: { alert_rule_test?: AlertTest[] }[] };
    const cases = doc.tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const name of alerts) {
      const mine = cases.filter((c) => c.alertname === name);
      const fires = mine.filter((c) => c.exp_alerts.length > 0);
      expect(fires.length, `${name} never fires in the unit tests`).toBeGreaterThan(0);
      expect(mine.some((c) => c.exp_alerts.length === 0), `${name} is never shown silent in the unit tests`).toBe(true);
      // Exact annotations pin the templates: a broken template would render differently.
      for (const f of fires) for (const e of f.exp_alerts) expect(e.exp_annotations?.['description'], name).toBeTruthy();
    }
  });

  // Each condition the reviewed alerts depend on, removed in turn: the unit tests must notice.
  it.each([
    ['a threshold is broken', 'pulse_target:probe_success:ratio >= 0.5', 'pulse_target:probe_success:ratio >= 0', 'PulseTargetFailingFromSomeAgents'],
    [
      'probe scrape alerts are not folded into the exporter alert',
      '            unless on (agent) up{job="pulse_exporter"} == 0\n',
      '',
      'PulseProbeScrapeFailing',
    ],
    [
      'path changes count runs that did not reach the destination',
      'expr: probe_mtr_path_hash{agent!=""} and on (agent, job, module, instance) (probe_mtr_destination_reached == 1)',
      'expr: probe_mtr_path_hash{agent!=""}',
      'PulseMtrPathChanged',
    ],
    [
      'a path that keeps changing (ECMP) alerts',
      '            and changes(pulse_mtr:path_hash:reached[10m]) == 0 # threshold: stable for 10 minutes\n',
      '',
      'PulseMtrPathChanged',
    ],
  ])('fail the unit tests when %s, so passing them means something', async (_what, from, to, alert) => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-rules-'));
    try {
      const shipped = await readFile(SHIPPED_RULES, 'utf8');
      expect(shipped).toContain(from);
      await writeFile(join(dir, 'pulse.rules.yml'), shipped.replace(from, to));
      await copyFile(RULES_TESTS, join(dir, 'pulse.rules.test.yml'));
      const r = await promtool(['test', 'rules', join(dir, 'pulse.rules.test.yml')]);
      expect(r.exitCode).not.toBe(0);
      expect(r.output).toContain(`alertname: ${alert}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('describe a dead exporter under PulseAgentInactive, with the way out for a decommissioned agent', async () => {
    const rules = await shippedRules();
    const inactive = rules.find((r) => r.alert === 'PulseAgentInactive')!;
    expect(inactive.annotations?.['description']).toContain('GET /agents/');
    expect(inactive.annotations?.['description']).toContain('DELETE /agents/');
    expect(inactive.annotations?.['description']).toContain('hub.agent_forget_after');
    // A stopped exporter leaves /sd before PulseExporterDown's for: ends; that alert says what it covers.
    expect(rules.find((r) => r.alert === 'PulseExporterDown')!.annotations?.['summary']).toContain('heartbeats to the hub');
  });
});
