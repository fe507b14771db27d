import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCert, type TestPki } from '../helpers/tls.js';
import { fillConfig, SHIPPED_CONFIG, SHIPPED_RULES, skeleton } from './fill-config.js';
import { promtool } from './promtool.js';

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scheme?: string;
  http_sd_configs?: { url: string }[];
  static_configs?: { targets: string[] }[];
  tls_config?: Record<string, string>;
  relabel_configs?: Record<string, unknown>[];
}

describe('prometheus/prometheus.yml', () => {
  let shipped: string;
  let pki: TestPki;
  let client: IssuedCert;
  let dir: string;

  beforeAll(async () => {
    shipped = await readFile(SHIPPED_CONFIG, 'utf8');
    pki = await createTestPki();
    client = await pki.issue('prometheus', { usage: 'client' });
    dir = await mkdtemp(join(tmpdir(), 'pulse-promcfg-'));
    await writeFile(join(dir, 'hub.token'), 'pulse_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
  });
  afterAll(async () => {
    await pki?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes promtool check config --syntax-only as shipped', async () => {
    const r = await promtool(['check', 'config', '--syntax-only', SHIPPED_CONFIG]);
    expect(r.output).toContain('SUCCESS');
    expect(r.exitCode, r.output).toBe(0);
  });

  it('passes the full promtool check config (certificate files, rule files) once paths are filled in', async () => {
    const file = join(dir, 'prometheus.yml');
    await writeFile(file, fillConfig(shipped, { hub: '127.0.0.1:7778', caFile: pki.caFile, certFile: client.certFile, keyFile: client.keyFile, tokenFile: join(dir, 'hub.token'), ruleFiles: [SHIPPED_RULES] }));
    const r = await promtool(['check', 'config', file]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS: 1 rule files found');
  });

  it('fails the full check when the client certificate is missing, so the check above means something', async () => {
    const file = join(dir, 'missing-cert.yml');
    await writeFile(file, fillConfig(shipped, { hub: '127.0.0.1:7778', caFile: pki.caFile, certFile: join(dir, 'nope.crt'), keyFile: client.keyFile, tokenFile: join(dir, 'hub.token'), ruleFiles: [SHIPPED_RULES] }));
    const r = await promtool(['check', 'config', file]);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('nope.crt');
  });

  it('filling in addresses and paths changes nothing else', () => {
    const filled = fillConfig(shipped, { hub: '[::1]:1234', caFile: '/x/ca', certFile: '/x/c', keyFile: '/x/k', tokenFile: '/x/t', ruleFiles: ['/x/r.yml', '/x/b.yml'], interval: '2s' });
    expect(skeleton(filled)).toEqual(skeleton(shipped));
    expect(filled).toContain('http://[::1]:1234/sd');
    expect(filled).not.toContain('pulse-hub.example.org');
    expect(filled).not.toContain('/etc/prometheus');
  });

  it('marks every value a user must change with a CHANGE comment', () => {
    const placeholders = shipped.split('\n').filter((l) => !l.trimStart().startsWith('#') && /pulse-hub\.example\.org|\/etc\/prometheus\//.test(l));
    expect(placeholders.length).toBeGreaterThanOrEqual(12);
    for (const line of placeholders) expect(line).toMatch(/# CHANGE/);
  });

  it('scrapes probes and exporters over mutual TLS, discovered through the hub, and the hub itself', () => {
    const config = parse(shipped) as { scrape_configs: ScrapeConfig[]; rule_files: string[] };
    const jobs = new Map(config.scrape_configs.map((j) => [j.job_name, j]));
    expect([...jobs.keys()].sort()).toEqual(['pulse_exporter', 'pulse_hub', 'pulse_probe']);
    for (const name of ['pulse_probe', 'pulse_exporter']) {
      const job = jobs.get(name)!;
      expect(job.scheme).toBe('https');
      expect(job.http_sd_configs?.map((s) => new URL(s.url).pathname)).toEqual(['/sd']);
      expect(Object.keys(job.tls_config ?? {}).sort()).toEqual(['ca_file', 'cert_file', 'key_file']);
    }
    expect(jobs.get('pulse_probe')!.metrics_path).toBe('/probe');
    expect(jobs.get('pulse_hub')!.static_configs?.[0]?.targets).toHaveLength(1);
    expect(config.rule_files).toEqual(['rules/pulse.rules.yml', 'rules/burst.rules.yml']);
  });
});
