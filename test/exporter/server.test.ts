import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober } from '../../lib/probe/types.js';
import { redactModule } from '../../exporter/debug.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';

/** Stands in for a slow target: holds its slot until the probe's own timeout fires. */
const waitingProber: Prober<'tcp'> = {
  validateTarget: () => undefined,
  run: (ctx) =>
    new Promise((resolve) => {
      ctx.signal.addEventListener('abort', () => resolve({ success: false, reason: 'timed out', metrics: new MetricSet(), details: {} }), {
        once: true,
      });
    }),
};

const CONFIG = `
modules:
  tcp_connect:
    prober: tcp
  tcp_slow:
    prober: tcp
    timeout: 1s
exporter:
  limits:
    tcp: { concurrency: 1, queue: 0 }
`;

describe('exporter /probe input validation', () => {
  let exporter: Exporter;
  let base: string;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-exporter-'));
    configFile = join(dir, 'pulse.yml');
    await writeFile(configFile, CONFIG);
    exporter = await buildExporter({
      config: parseConfig(CONFIG, configFile),
      configFile,
      probers: { ...defaultProbers(), tcp: waitingProber },
    });
    await exporter.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = exporter.app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  });

  afterAll(async () => {
    await exporter.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['missing target', '/probe?module=tcp_connect', 400, 'target parameter is missing'],
    ['empty target', '/probe?module=tcp_connect&target=', 400, 'target parameter is missing'],
    ['unknown module', '/probe?module=nope&target=127.0.0.1:1', 400, 'Unknown module "nope"'],
    ['default module absent', '/probe?target=127.0.0.1:1', 400, 'Unknown module "http_2xx"'],
    ['module named like an Object property', '/probe?module=constructor&target=127.0.0.1:1', 400, 'Unknown module "constructor"'],
    ['module named __proto__', '/probe?module=__proto__&target=127.0.0.1:1', 400, 'Unknown module "__proto__"'],
    ['module named toString', '/probe?module=toString&target=127.0.0.1:1', 400, 'Unknown module "toString"'],
    ['argument injection', '/probe?module=tcp_connect&target=-oProxyCommand%3Dx', 400, 'target must not start with "-"'],
    ['control characters', '/probe?module=tcp_connect&target=a%0Ab', 400, 'target contains control characters'],
    ['too long', `/probe?module=tcp_connect&target=${'a'.repeat(3000)}`, 400, 'target is longer than 2048 characters'],
    ['repeated parameter', '/probe?module=tcp_connect&target=a:1&target=b:2', 400, 'query parameters must appear once each'],
  ])('%s → %i with a reason', async (_name, path, status, reason) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toContain(reason);
  });

  it.each([
    ['not a number', 'abc'],
    ['negative', '-1'],
    ['zero', '0'],
  ])('refuses a bad scrape timeout header (%s)', async (_name, value) => {
    const res = await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:1`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': value },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('X-Prometheus-Scrape-Timeout-Seconds');
  });

  it('refuses a huge query string at the HTTP layer and keeps serving', async () => {
    const res = await fetch(`${base}/probe?module=tcp_connect&target=${'x'.repeat(200_000)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const healthy = await fetch(`${base}/-/healthy`);
    expect(healthy.status).toBe(200);
  });

  it('caps the module timeout by the scrape timeout minus the offset', async () => {
    const res = await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:1`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('probe_timeout_seconds 1\n');
    expect(text).toContain('probe_success 0\n');
  });

  it('uses the module timeout when it is shorter, and fails fast past the queue', async () => {
    const first = fetch(`${base}/probe?module=tcp_slow&target=127.0.0.1:1`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' },
    });
    // The first probe holds the only slot; the queue has no room, so the second is refused.
    await waitFor(async () => (await metricValue(base, 'pulse_exporter_probes_in_flight{prober="tcp"}')) === 1);
    const second = await fetch(`${base}/probe?module=tcp_slow&target=127.0.0.1:1`);
    expect(second.status).toBe(503);
    expect(await second.text()).toContain('tcp prober is at its limit');
    const text = await (await first).text();
    expect(text).toContain('probe_timeout_seconds 1\n');
  });

  it('counts refusals by code in /metrics', async () => {
    await fetch(`${base}/probe?module=nope&target=x`);
    expect(await metricValue(base, 'pulse_exporter_requests_rejected_total{code="PULSE_UNKNOWN_MODULE"}')).toBeGreaterThanOrEqual(1);
    expect(await metricValue(base, 'pulse_exporter_requests_rejected_total{code="PULSE_BAD_TARGET"}')).toBeGreaterThanOrEqual(1);
    expect(await metricValue(base, 'blackbox_module_unknown_total')).toBeGreaterThanOrEqual(1);
    expect(await metricValue(base, 'pulse_exporter_probes_total{module="tcp_connect",prober="tcp",result="failure"}')).toBeGreaterThanOrEqual(1);
  });

  it('answers debug=true with logs, metrics and module configuration', async () => {
    const res = await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:1&debug=true`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '1' },
    });
    const text = await res.text();
    expect(text).toContain('Logs for the probe:');
    expect(text).toContain('msg="Beginning probe"');
    expect(text).toContain('Metrics that would have been returned:');
    expect(text).toContain('probe_success 0');
    expect(text).toContain('Module configuration:\nprober: tcp');
  });

  it('refuses ad-hoc runs without mutual TLS', async () => {
    const res = await fetch(`${base}/api/v1/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 1, type: 'tcp', target: '127.0.0.1:1' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PULSE_FORBIDDEN');
  });

  it('keeps the old config when a reload fails, and takes a good one', async () => {
    await writeFile(configFile, 'modules:\n  broken:\n    prober: tcp\n    timeout: soon\n');
    const bad = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('pulse.yml:4: modules.broken.timeout');
    expect(await metricValue(base, 'pulse_exporter_config_last_reload_successful')).toBe(0);
    expect(await metricValue(base, 'blackbox_exporter_config_last_reload_successful')).toBe(0);
    expect((await fetch(`${base}/probe?module=broken&target=127.0.0.1:1`)).status).toBe(400);

    await writeFile(configFile, 'modules:\n  fresh:\n    prober: tcp\n    timeout: 1s\n');
    const good = await fetch(`${base}/-/reload`, { method: 'POST' });
    expect(good.status).toBe(200);
    expect(await metricValue(base, 'pulse_exporter_config_last_reload_successful')).toBe(1);
    expect(await metricValue(base, 'blackbox_exporter_config_last_reload_successful')).toBe(1);
    expect(await metricValue(base, 'blackbox_exporter_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(1.7e9);
    expect((await fetch(`${base}/probe?module=fresh&target=127.0.0.1:1`)).status).toBe(200);
    expect((await fetch(`${base}/probe?module=tcp_connect&target=127.0.0.1:1`)).status).toBe(400);
  });
});

describe('debug output', () => {
  it('hides secrets in the module configuration', () => {
    const shown = redactModule({
      prober: 'http',
      http: {
        basic_auth: { username: 'u', password: 'hunter2' },
        bearer_token: 'tok',
        proxy_url: 'http://u:p@proxy:3128',
        authorization: { type: 'Bearer', credentials: 'cred' },
        headers: { Authorization: 'Basic abc', Accept: 'text/html' },
      },
    } as never);
    expect(JSON.stringify(shown)).not.toMatch(/hunter2|tok"|u:p@|cred"|Basic abc/);
    expect(JSON.stringify(shown)).toContain('text/html');
    expect(JSON.stringify(shown)).toContain('<secret>');
  });
});

describe('probe deadlines', () => {
  const QUEUED = `
modules:
  held:
    prober: tcp
    timeout: 5s
exporter:
  limits:
    tcp: { concurrency: 1, queue: 1 }
`;

  it('gives a probe that waited in the queue only what is left of its timeout', async () => {
    const seen: number[] = [];
    let release: () => void = () => {};
    const holding = new Promise<void>((r) => {
      release = r;
    });
    const holdingProber: Prober<'tcp'> = {
      validateTarget: () => undefined,
      run: async (ctx) => {
        seen.push(ctx.timeoutSeconds);
        if (seen.length === 1) await holding;
        return { success: true, metrics: new MetricSet(), details: {} };
      },
    };
    const ex = await buildExporter({ config: parseConfig(QUEUED, 'pulse.yml'), probers: { ...defaultProbers(), tcp: holdingProber } });
    try {
      const first = ex.app.inject({ url: '/probe?module=held&target=127.0.0.1:1' });
      const second = ex.app.inject({ url: '/probe?module=held&target=127.0.0.1:1' });
      await waitForCondition(async () => ex.state().limiters.get('tcp')!.queued === 1);
      // Keep the second probe queued for a while before it gets the slot.
      await new Promise((r) => setTimeout(r, 300));
      release();
      const [a, b] = await Promise.all([first, second]);
      expect(a.statusCode).toBe(200);
      expect(b.body).toContain('probe_success 1');
      expect(seen).toHaveLength(2);
      expect(seen[0]).toBeLessThanOrEqual(5);
      expect(seen[1]).toBeLessThanOrEqual(5 - 0.3);
      expect(seen[1]).toBeGreaterThan(0);
    } finally {
      await ex.app.close();
    }
  });

  it('takes the slot back from a prober that ignores its signal, with "probe timed out"', async () => {
    const deafProber: Prober<'tcp'> = {
      validateTarget: () => undefined,
      run: () => new Promise(() => {}),
    };
    const config = parseConfig(QUEUED.replace('5s', '1s'), 'pulse.yml');
    const ex = await buildExporter({ config, probers: { ...defaultProbers(), tcp: deafProber } });
    try {
      const res = await ex.app.inject({ url: '/probe?module=held&target=127.0.0.1:1&debug=true' });
      expect(res.body).toContain('probe_success 0');
      expect(res.body).toMatch(/reason="probe timed out/);
      expect(ex.state().limiters.get('tcp')!.inFlight).toBe(0);
    } finally {
      await ex.app.close();
    }
  });
});

describe('index page', () => {
  it('shows the configured timeout_offset', async () => {
    const ex = await buildExporter({ config: parseConfig('modules: {}\nexporter:\n  timeout_offset: 250ms\n', 'pulse.yml') });
    try {
      const res = await ex.app.inject({ url: '/' });
      expect(res.body).toContain('Timeout offset 250ms.');
    } finally {
      await ex.app.close();
    }
  });
});

async function waitForCondition(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  await waitFor(async () => check(), ms);
}

async function metricValue(base: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met in time');
}
