import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { promtool } from './promtool.js';

const FILE = join(import.meta.dirname, '../../prometheus/sharded.yml');

interface Relabel {
  action?: string;
  modulus?: number;
  regex?: string;
  source_labels?: string[];
}

describe('prometheus/sharded.yml (hashmod sharding + remote_write)', () => {
  it('passes promtool check config --syntax-only', async () => {
    const r = await promtool(['check', 'config', '--syntax-only', FILE]);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS');
  });

  it('keeps one shard of the probes, hashed on agent, target and module, and writes remotely', async () => {
    const cfg = parse(await readFile(FILE, 'utf8')) as {
      global: { external_labels: Record<string, string> };
      scrape_configs: Array<{ relabel_configs: Relabel[] }>;
      remote_write: Array<{ url: string }>;
    };
    const relabel = cfg.scrape_configs[0]!.relabel_configs;
    const hash = relabel.find((r) => r.action === 'hashmod')!;
    expect(hash.source_labels).toEqual(['agent', '__param_target', '__param_module']);
    expect(hash.modulus).toBeGreaterThan(1);
    const keep = relabel.find((r) => r.action === 'keep')!;
    expect(keep.regex).toBe(cfg.global.external_labels.prometheus_shard);
    expect(cfg.remote_write[0]!.url).toMatch(/^https?:\/\//);
  });
});
