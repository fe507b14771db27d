/**
 * A real Prometheus with the shipped configuration scrapes a direct and a dial-out agent alike:
 * the dial-out one through the hub's relay, as /sd tells it. The only edits are the documented
 * ones for a hub whose users' port serves TLS (https discovery with a tls_config).
 */
import { createToken } from '../../lib/auth/token-file.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { scriptedRegistry } from '../hub/scripted-prober.js';
import { fillConfig, SHIPPED_CONFIG, SHIPPED_RULES } from '../prometheus/fill-config.js';
import { type PrometheusServer, startPrometheus } from '../prometheus/prometheus-server.js';

const WAIT = { timeout: 60_000, interval: 500 };

interface ActiveTarget {
  scrapePool: string;
  labels: Record<string, string>;
  health: string;
  lastError: string;
  scrapeUrl: string;
}

describe('Prometheus scrapes dial-out agents through the hub', () => {
  let fleet: Fleet;
  let prom: PrometheusServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-e2e-dialout-'));
    fleet = await startFleet({
      agents: [{ name: 'near' }, { name: 'far', mode: 'dial-out' }],
      probers: scriptedRegistry(),
      modules: { scripted: { prober: 'tcp', timeout: '5s' } },
      targets: [{ name: 'edge', module: 'scripted', targets: ['ok.test:1'], agents: {}, labels: {} }],
      userTls: true,
    });
    const hub = new URL(fleet.hubUrl).host;
    const tokenFile = join(dir, 'hub.token');
    await writeFile(tokenFile, `${(await createToken(join(fleet.dir, 'hub-data'), { name: 'prometheus', scopes: ['read'] })).token}\n`);
    const filled = parse(
      fillConfig(await readFile(SHIPPED_CONFIG, 'utf8'), {
        hub,
        caFile: fleet.caFile,
        certFile: fleet.client.certFile,
        keyFile: fleet.client.keyFile,
        tokenFile,
        ruleFiles: [SHIPPED_RULES],
        interval: '2s',
      }),
    ) as { scrape_configs: Array<Record<string, unknown>> };
    // The edits prometheus.yml documents for a TLS users' port: https discovery with the same certificate.
    const tls = { ca_file: fleet.caFile, cert_file: fleet.client.certFile, key_file: fleet.client.keyFile };
    for (const job of filled.scrape_configs) {
      for (const sd of (job.http_sd_configs as Array<Record<string, unknown>> | undefined) ?? []) {
        sd.url = String(sd.url).replace(/^http:/, 'https:');
        sd.tls_config = tls;
      }
      if (job.job_name === 'pulse_hub') Object.assign(job, { scheme: 'https', tls_config: tls });
    }
    const configFile = join(dir, 'prometheus.yml');
    await writeFile(configFile, stringify(filled));
    prom = await startPrometheus(configFile);
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await fleet?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('finds both agents\' probes and metrics, scrapes the dial-out one at the hub, and both are up', async () => {
    const targets = async () => (await prom.api<{ activeTargets: ActiveTarget[] }>('targets', { state: 'active' })).activeTargets;
    await expect
      .poll(async () => {
        const ts = (await targets()).filter((t) => t.scrapePool !== 'pulse_hub');
        return ts.length === 4 && ts.every((t) => t.health === 'up') ? 'all up' : ts.map((t) => `${t.scrapePool} ${t.scrapeUrl} ${t.health} ${t.lastError}`);
      }, WAIT)
      .toBe('all up');
    const ts = await targets();
    const find = (pool: string, agent: string) => new URL(ts.find((t) => t.scrapePool === pool && t.labels.agent === agent)!.scrapeUrl);
    const hub = new URL(fleet.hubUrl).host;
    expect(find('pulse_probe', 'far').host).toBe(hub);
    expect(find('pulse_probe', 'far').pathname).toBe('/agents/far/probe');
    expect(find('pulse_exporter', 'far').pathname).toBe('/agents/far/metrics');
    expect(find('pulse_probe', 'near').host).not.toBe(hub);
    expect(find('pulse_exporter', 'near').pathname).toBe('/metrics');
    await expect
      .poll(async () => (await prom.query('probe_success')).map((s) => `${s.metric.agent}=${s.value[1]}`).sort(), WAIT)
      .toEqual(['far=1', 'near=1']);
  }, 90_000);
});
