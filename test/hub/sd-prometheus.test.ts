import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { scriptedRegistry } from './scripted-prober.js';
import { freePort } from '../helpers/free-port.js';

interface PromTarget {
  labels: Record<string, string>;
  health: string;
  lastError: string;
  scrapeUrl: string;
}

let fleet: Fleet;
let prom: ResultPromise | undefined;
let promDir = '';
let promUrl = '';

beforeAll(async () => {
  fleet = await startFleet({
    agents: [
      { name: 'ams', labels: { site: 'ams' } },
      { name: 'nyc', labels: { site: 'nyc' } },
    ],
    probers: scriptedRegistry(),
    modules: { scripted: { prober: 'tcp', timeout: '5s' } },
    targets: [
      { name: 'shop', module: 'scripted', targets: ['ok.test:443', 'ok.test:80'], agents: {}, labels: { team: 'web' } },
      { name: 'ams_only', module: 'scripted', targets: ['ok.test:53'], agents: { site: 'ams' }, labels: {} },
    ],
  });
  promDir = await mkdtemp(join(tmpdir(), 'pulse-prom-'));
  const client = fleet.client;
  await writeFile(
    join(promDir, 'prometheus.yml'),
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: pulse
    tls_config:
      ca_file: ${fleet.caFile}
      cert_file: ${client.certFile}
      key_file: ${client.keyFile}
    http_sd_configs:
      - url: ${fleet.hubUrl}/sd
        refresh_interval: 1s
`,
  );
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prom = execa(
    'prometheus',
    [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      '--log.level=warn',
    ],
    { reject: false, all: true },
  );
}, 60_000);

afterAll(async () => {
  prom?.kill('SIGTERM');
  await prom;
  await fleet?.close();
  if (promDir) await rm(promDir, { recursive: true, force: true });
});

async function promJson<T>(path: string): Promise<T | undefined> {
  try {
    const res = await fetch(`${promUrl}${path}`);
    if (!res.ok) return undefined;
    return ((await res.json()) as { data: T }).data;
  } catch {
    return undefined;
  }
}

test('/sd answers http_sd JSON for active agents', async () => {
  const groups = (await (await fetch(`${fleet.hubUrl}/sd`)).json()) as Array<{ targets: string[]; labels: Record<string, string> }>;
  // shop: 2 agents × 2 targets; ams_only: 1 agent × 1 target.
  expect(groups).toHaveLength(5);
  const ams = fleet.exporters.find((e) => e.name === 'ams')!;
  expect(groups[0]).toEqual({
    targets: [new URL(ams.url).host],
    labels: {
      team: 'web',
      site: 'ams',
      __scheme__: 'https',
      __metrics_path__: '/probe',
      __param_module: 'scripted',
      __param_target: 'ok.test:443',
      job: 'shop',
      agent: 'ams',
      instance: 'ok.test:443',
    },
  });
  const one = (await (await fetch(`${fleet.hubUrl}/sd?job=ams_only`)).json()) as unknown[];
  expect(one).toHaveLength(1);
});

test('a real Prometheus loads /sd and scrapes every target over mutual TLS: up == 1', async () => {
  let targets: PromTarget[] = [];
  for (;;) {
    const data = await promJson<{ activeTargets: PromTarget[] }>('/api/v1/targets?state=active');
    targets = data?.activeTargets ?? [];
    if (targets.length === 5 && targets.every((t) => t.health === 'up')) break;
    if (prom?.exitCode !== undefined && prom.exitCode !== null) throw new Error('prometheus exited');
    await new Promise((r) => setTimeout(r, 250));
  }
  const shopAms = targets.find((t) => t.labels.job === 'shop' && t.labels.agent === 'ams' && t.labels.instance === 'ok.test:443')!;
  expect(shopAms.labels).toMatchObject({ site: 'ams', team: 'web' });
  expect(shopAms.scrapeUrl).toBe(`${fleet.exporters[0]!.url}/probe?module=scripted&target=ok.test%3A443`);

  let up: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
  let success: typeof up = [];
  for (;;) {
    up = (await promJson<{ result: typeof up }>('/api/v1/query?query=up'))?.result ?? [];
    success = (await promJson<{ result: typeof up }>('/api/v1/query?query=probe_success'))?.result ?? [];
    if (up.length === 5 && success.length === 5) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(up.map((s) => s.value[1])).toEqual(['1', '1', '1', '1', '1']);
  expect(success.map((s) => s.value[1])).toEqual(['1', '1', '1', '1', '1']);
  expect(new Set(up.map((s) => `${s.metric.job}/${s.metric.agent}/${s.metric.instance}`))).toEqual(
    new Set(['shop/ams/ok.test:443', 'shop/ams/ok.test:80', 'shop/nyc/ok.test:443', 'shop/nyc/ok.test:80', 'ams_only/ams/ok.test:53']),
  );
}, 60_000);
