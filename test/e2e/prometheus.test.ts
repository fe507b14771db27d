/**
 * The shipped Prometheus configuration, rules and dashboards against the real thing: a hub, two
 * exporters and local targets on 127.0.0.1, and the Debian package's `prometheus` running
 * prometheus/prometheus.yml with only addresses, paths and (for speed) intervals filled in.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../lib/auth/token-file.js';
import type { ProbeJob } from '../../lib/config/targets.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { type DnsTestServer, startDnsServer, zone } from '../helpers/dns-server.js';
import { startServer, type TestServer } from '../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';
import { dashboardQueries, loadDashboards, substitute } from '../prometheus/dashboards.js';
import { fillConfig, SHIPPED_CONFIG, SHIPPED_RULES } from '../prometheus/fill-config.js';
import { type PrometheusServer, startPrometheus } from '../prometheus/prometheus-server.js';

/** Scrape, rule evaluation and discovery refresh interval of the test's Prometheus. */
const INTERVAL = '3s';
const WAIT = { timeout: 60_000, interval: 500 };
const AGENTS = [
  { name: 'ams', labels: { region: 'eu' } },
  { name: 'nyc', labels: { region: 'us' } },
];
/** The agent from which the `regional` probe fails while it succeeds from the other. */
const CUT_OFF = 'nyc';

interface ActiveTarget {
  scrapePool: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  scrapeUrl: string;
}
interface RuleGroup {
  name: string;
  file: string;
  rules: { name: string; type: 'alerting' | 'recording'; health: string; lastError?: string; state?: string }[];
}
interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('Prometheus with the shipped configuration, rules and dashboards', () => {
  let pki: TestPki;
  let web: TestServer;
  let webTls: TestServer;
  let dns: DnsTestServer;
  let fleet: Fleet;
  let prom: PrometheusServer;
  let dir: string;
  let failingUrl: string;
  let jobs: ProbeJob[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-e2e-prom-'));
    pki = await createTestPki();
    const siteCert = await pki.issue('site', { hosts: ['127.0.0.1'], usage: 'server' });
    web = await startServer((_req, res) => res.end('hello from the web target\n'));
    webTls = await startServer((_req, res) => res.end('hello over TLS\n'), { tls: { cert: siteCert.cert, key: siteCert.key } });
    dns = await startDnsServer({ handler: zone([{ type: 'A', name: 'www.pulse.test', ttl: 60, class: 'IN', data: '127.0.0.1' }]) });
    failingUrl = `http://127.0.0.1:${await closedPort()}/`;

    const job = (name: string, module: string, targets: string[]): ProbeJob => ({ name, module, targets, agents: {}, labels: {} });
    jobs = [
      job('web', 'http_2xx', [`${web.origin}/`]),
      job('web_tls', 'https_2xx', [`${webTls.origin}/`]),
      job('broken', 'http_2xx', [failingUrl]),
      job('regional', 'regional', [`${web.origin}/regional`]),
      job('resolvers', 'dns_a', [dns.target]),
      job('ping', 'icmp', ['127.0.0.1']),
      job('paths', 'mtr', ['127.0.0.1']),
      // A healthy and a refusing burst target, so every burst panel (quantiles, failures by kind) has data.
      job('bursts', 'burst', [new URL(web.origin).host]),
      job('broken_burst', 'burst', [new URL(failingUrl).host]),
      job('tcp_ping', 'tcp_ping', [new URL(web.origin).host]),
    ];
    const http = { prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4' } };
    // A path problem from one agent, made with the module's definition on that agent: there, the
    // web target's answer (200) is not a valid status code.
    const modules = {
      http_2xx: http,
      regional: http,
      https_2xx: { prober: 'http', timeout: '5s', http: { preferred_ip_protocol: 'ip4', tls_config: { ca_file: pki.caFile } } },
      dns_a: { prober: 'dns', timeout: '5s', dns: { query_name: 'www.pulse.test', query_type: 'A', preferred_ip_protocol: 'ip4' } },
        icmp: { prober: 'icmp', timeout: '5s', icmp: { preferred_ip_protocol: 'ip4' } },
        mtr: { prober: 'mtr', timeout: '5s', mtr: { packets: 2, interval: '0.2s', ip_version: 4 } },
      burst: { prober: 'burst', timeout: '5s', burst: { connections: 10, concurrency: 5, preferred_ip_protocol: 'ip4' } },
      tcp_ping: { prober: 'tcp', timeout: '5s', tcp: { preferred_ip_protocol: 'ip4', packets: 3, interval: '0.1s' } },
    };
    fleet = await startFleet({
      agents: AGENTS.map((a) =>
        a.name === CUT_OFF ? { ...a, modules: { ...modules, regional: { ...http, http: { ...http.http, valid_status_codes: [418] } } } } : a,
      ),
      modules,
      targets: jobs,
      // As on a network address: Prometheus reaches /sd and the hub's /metrics with a read token.
      hub: { auth: { required: true } },
    });
    const tokenFile = join(dir, 'hub.token');
    await writeFile(tokenFile, `${(await createToken(join(fleet.dir, 'hub-data'), { name: 'prometheus', scopes: ['read'] })).token}\n`);
    const runToken = (await createToken(join(fleet.dir, 'hub-data'), { name: 'e2e', scopes: ['run'] })).token;

    const configFile = join(dir, 'prometheus.yml');
    const shipped = await readFile(SHIPPED_CONFIG, 'utf8');
    await writeFile(
      configFile,
      fillConfig(shipped, {
        hub: new URL(fleet.hubUrl).host,
        caFile: fleet.caFile,
        certFile: fleet.client.certFile,
        keyFile: fleet.client.keyFile,
        tokenFile,
        ruleFiles: [SHIPPED_RULES],
        interval: INTERVAL,
      }),
    );
    prom = await startPrometheus(configFile);

    // Series that only exist once something happened: a refused probe request on an exporter
    // and an ad-hoc measurement on the hub (the exporter dashboard shows both).
    const dispatcher = new Agent({ connect: { ca: readFileSync(fleet.caFile), cert: readFileSync(fleet.client.certFile), key: readFileSync(fleet.client.keyFile) } });
    try {
      for (const e of fleet.exporters) {
        const refused = await request(`${e.url}/probe?module=no_such_module&target=127.0.0.1`, { dispatcher });
        await refused.body.text();
        expect(refused.statusCode).toBe(400);
      }
    } finally {
      await dispatcher.close();
    }
    const m = await fetch(`${fleet.hubUrl}/api/v1/measurements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${runToken}` },
      body: JSON.stringify({ type: 'http', target: `${web.origin}/`, options: { preferred_ip_protocol: 'ip4' }, timeout: 10 }),
    });
    expect(m.status, await m.clone().text()).toBe(200);
    await m.text();
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await fleet?.close();
    await Promise.all([web?.close(), webTls?.close(), dns?.close()]);
    await pki?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function activeTargets(): Promise<ActiveTarget[]> {
    return (await prom.api<{ activeTargets: ActiveTarget[] }>('targets', { state: 'active' })).activeTargets;
  }

  it('discovers every probe through the hub and scrapes every target successfully', async () => {
    const expected = AGENTS.length * jobs.length + AGENTS.length + 1;
    await expect
      .poll(async () => {
        const ts = await activeTargets();
        return ts.length === expected && ts.every((t) => t.health === 'up') ? 'all up' : ts.map((t) => `${t.scrapePool} ${t.scrapeUrl} ${t.health} ${t.lastError}`);
      }, WAIT)
      .toBe('all up');

    const ts = await activeTargets();
    const probes = ts.filter((t) => t.scrapePool === 'pulse_probe');
    expect(probes).toHaveLength(AGENTS.length * jobs.length);
    for (const j of jobs) {
      for (const a of AGENTS) {
        const t = probes.find((p) => p.labels['job'] === j.name && p.labels['agent'] === a.name);
        expect(t, `${j.name} from ${a.name}`).toBeDefined();
        // blackbox conventions: instance is the probed target; the module and the agent's labels come along.
        expect(t!.labels).toMatchObject({ instance: j.targets[0], module: j.module, region: a.labels.region });
        const url = new URL(t!.scrapeUrl);
        expect(url.protocol).toBe('https:');
        expect(url.pathname).toBe('/probe');
        expect(url.searchParams.get('module')).toBe(j.module);
        expect(url.searchParams.get('target')).toBe(j.targets[0]);
      }
    }
    const exporters = ts.filter((t) => t.scrapePool === 'pulse_exporter');
    expect(exporters.map((t) => t.labels['instance']).sort()).toEqual(AGENTS.map((a) => a.name));
    for (const t of exporters) {
      expect(t.labels['job']).toBe('pulse_exporter');
      expect(new URL(t.scrapeUrl).pathname).toBe('/metrics');
      expect(new URL(t.scrapeUrl).search).toBe('');
    }
    expect(ts.filter((t) => t.scrapePool === 'pulse_hub')).toHaveLength(1);
  }, 90_000);

  it('records probe_success 1 for the healthy targets and 0 for the failing one, from both agents', async () => {
    const expected = jobs.flatMap((j) =>
      AGENTS.map((a) => `${j.name} from ${a.name}: ${j.name.startsWith('broken') || (j.name === 'regional' && a.name === CUT_OFF) ? 0 : 1}`),
    );
    const observed = async () =>
      (await prom.query('probe_success')).map((s) => `${s.metric['job']} from ${s.metric['agent']}: ${s.value[1]}`);
    await expect.poll(async () => (await observed()).sort(), WAIT).toEqual(expected.sort());
  }, 90_000);

  it('loads every shipped rule and evaluates it without error', async () => {
    const shipped = parse(await readFile(SHIPPED_RULES, 'utf8')) as { groups: { name: string; rules: unknown[] }[] };
    await expect
      .poll(async () => {
        const { groups } = await prom.api<{ groups: RuleGroup[] }>('rules');
        return groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`));
      }, WAIT)
      .toEqual([]);
    const { groups } = await prom.api<{ groups: RuleGroup[] }>('rules');
    expect(groups.map((g) => g.name).sort()).toEqual(shipped.groups.map((g) => g.name).sort());
    for (const g of shipped.groups) expect(groups.find((x) => x.name === g.name)!.rules).toHaveLength(g.rules.length);
  }, 90_000);

  it('puts the failing target in PulseTargetDown (pending), and only it', async () => {
    const downAlerts = async () => (await prom.api<{ alerts: Alert[] }>('alerts')).alerts.filter((a) => a.labels['alertname'] === 'PulseTargetDown');
    await expect
      .poll(async () => (await downAlerts()).map((a) => `${a.labels['instance']} ${a.state}`).sort(), WAIT)
      .toEqual([`${new URL(failingUrl).host} pending`, `${failingUrl} pending`].sort());
    const alert = (await downAlerts()).find((a) => a.labels['job'] === 'broken');
    expect(alert!.labels).toMatchObject({ job: 'broken', module: 'http_2xx', severity: 'critical' });
    // Annotations are rendered at every evaluation: the first one may predate the second agent's scrape.
    await expect
      .poll(async () => (await downAlerts()).find((a) => a.labels['job'] === 'broken')?.annotations['description'], WAIT)
      .toContain('succeeds from 0% of the agents. Failing agents: ams, nyc.');
  }, 90_000);

  it('puts the target failing from one agent only in PulseTargetFailingFromSomeAgents (pending), naming that agent', async () => {
    const partial = async () =>
      (await prom.api<{ alerts: Alert[] }>('alerts')).alerts.filter((a) => a.labels['alertname'] === 'PulseTargetFailingFromSomeAgents');
    // The target down from every agent is not a path problem: it stays out of this alert.
    await expect.poll(async () => (await partial()).map((a) => `${a.labels['job']} ${a.labels['agent']} ${a.state}`), WAIT).toEqual([`regional ${CUT_OFF} pending`]);
    const [alert] = await partial();
    expect(alert!.labels).toMatchObject({ instance: `${web.origin}/regional`, module: 'regional', region: 'us', severity: 'warning' });
    expect(alert!.annotations['summary']).toContain(`fails from agent ${CUT_OFF}`);
  }, 90_000);

  it('returns data for every dashboard panel query and variable query', async () => {
    const queries = loadDashboards()
      .flatMap((d) => dashboardQueries(d.dashboard))
      .map((q) => ({ ...q, expr: substitute(q.expr, { rateInterval: '1m', range: '5m', interval: INTERVAL }) }));
    expect(queries.length).toBeGreaterThan(50);
    // Polled together: rate() needs two scrapes of a counter, ALERTS a rule evaluation.
    await expect
      .poll(async () => {
        const empty: string[] = [];
        for (const q of queries) {
          try {
            if ((await prom.query(q.expr)).length === 0) empty.push(`${q.where}: no data: ${q.expr}`);
          } catch (err) {
            empty.push(`${q.where}: ${(err as Error).message}: ${q.expr}`);
          }
        }
        return empty;
      }, WAIT)
      .toEqual([]);
  }, 90_000);

  it('shows each HTTP phase as no longer than the longest measured one, with every agent and target selected', async () => {
    const http = loadDashboards().find((d) => d.dashboard.uid === 'pulse-http')!.dashboard;
    const phases = dashboardQueries(http).find((q) => q.where.includes('"HTTP phases from $agent"'));
    expect(phases, 'the phases panel').toBeDefined();
    const expr = substitute(phases!.expr, { rateInterval: '1m', range: '5m', interval: INTERVAL });
    // Panel and raw series in one query, so both see the same scrapes. A sum over the two agents and
    // the HTTP targets would exceed every single measurement wherever two of them are above zero.
    const longest = 'max by (phase) (probe_http_duration_seconds)';
    const httpProbes = AGENTS.length * jobs.filter((j) => ['http_2xx', 'https_2xx', 'regional'].includes(j.module)).length;
    await expect
      .poll(async () => {
        // Only once every agent has probed every HTTP target: with one series per phase, any aggregation passes.
        const probed = await prom.query('count(count by (agent, job, instance) (probe_http_duration_seconds))');
        if (Number(probed[0]?.value[1] ?? 0) !== httpProbes) return 'not every HTTP probe scraped yet';
        const shown = await prom.query(`(${expr}) - on (phase) ${longest}`);
        const positive = await prom.query(`(${expr}) > 0`);
        return shown.length >= 5 && positive.length > 0 ? shown.filter((s) => Number(s.value[1]) > 1e-9).map((s) => s.metric['phase']) : 'no data yet';
      }, WAIT)
      .toEqual([]);
  }, 90_000);

  it('narrows every panel to the agent chosen in the $agent variable', async () => {
    const queries = loadDashboards()
      .flatMap((d) => dashboardQueries(d.dashboard))
      .filter((q) => q.expr.includes('$agent'));
    expect(queries.length).toBeGreaterThan(30);
    await expect
      .poll(async () => {
        const wrong: string[] = [];
        for (const q of queries) {
          const expr = substitute(q.expr, { rateInterval: '1m', range: '5m', interval: INTERVAL, variables: { agent: 'nyc' } });
          const samples = await prom.query(expr);
          if (samples.length === 0) wrong.push(`${q.where}: no data for agent nyc`);
          for (const s of samples) if (s.metric['agent'] !== undefined && s.metric['agent'] !== 'nyc') wrong.push(`${q.where}: agent ${s.metric['agent']}`);
        }
        return wrong;
      }, WAIT)
      .toEqual([]);
  }, 90_000);
});
