import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinary } from '../helpers/spawn.js';

const BIN = join(import.meta.dirname, '../../dist/exporter/main.js');

async function children(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** A fresh connection per request, so the primary's round robin hands them to every worker. */
async function get(url: string): Promise<{ status: number; body: string }> {
  const dispatcher = new Agent({ pipelining: 0 });
  try {
    const res = await request(url, { dispatcher, headers: { connection: 'close' } });
    return { status: res.statusCode, body: await res.body.text() };
  } finally {
    await dispatcher.close();
  }
}

describe('pulse-exporter --workers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-cluster-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses a worker count that is not a positive integer', async () => {
    const file = join(dir, 'bad-workers.yml');
    await writeFile(file, 'modules:\n  tcp_connect:\n    prober: tcp\n');
    const { execa } = await import('execa');
    const r = await execa('node', [BIN, '--config', file, '--workers', 'two'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('--workers two: expected an integer from 1 to 256');
  });

  it('serves /probe from several processes on one port, merges their /metrics, survives SIGHUP, stops on SIGTERM', async () => {
    const file = join(dir, 'cluster.yml');
    await writeFile(file, 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n');
    const { proc, url, output } = await startBinary(BIN, ['--config', file, '--listen', '127.0.0.1:0', '--workers', '2']);
    try {
      // Both workers must be listening before connections can be spread over them.
      await expect.poll(async () => (await children(proc.pid!)).length, { timeout: 20_000 }).toBe(2);
      // Both listen on one port, even when asked for port 0.
      await expect.poll(() => [...output().matchAll(/Server listening at (http:\/\/[^"\s]+)/g)].map((m) => m[1]), { timeout: 20_000 }).toEqual([url, url]);
      await expect.poll(async () => (await get(`${url}/-/healthy`)).status, { timeout: 20_000 }).toBe(200);
      const probes = 10;
      for (let i = 0; i < probes; i++) {
        const r = await get(`${url}/probe?module=http_2xx&target=${encodeURIComponent(`${url}/-/healthy`)}`);
        expect(r.status).toBe(200);
        expect(r.body).toContain('probe_success 1');
      }
      // Whichever worker answers, it reports every worker's probes; per-process gauges are not summed.
      const metrics = (await get(`${url}/metrics`)).body;
      expect(metrics).toContain(`pulse_exporter_probes_total{module="http_2xx",prober="http",result="success"} ${probes}`);
      expect(metrics).toMatch(/^pulse_exporter_build_info\{[^}]*\} 1$/m);
      expect(metrics).toContain('pulse_exporter_config_last_reload_successful 1');

      const before = await children(proc.pid!);
      proc.kill('SIGHUP');
      await expect.poll(async () => (await get(`${url}/metrics`)).body, { timeout: 20_000 }).toContain('pulse_exporter_config_last_reload_successful 1');
      expect(await children(proc.pid!)).toEqual(before);
    } finally {
      proc.kill('SIGTERM');
    }
    const result = await proc;
    expect(result.exitCode).toBe(0);
  });
});

describe('merging worker metrics', () => {
  it('reports a failed reload when any worker failed, and process gauges once', async () => {
    const { AggregatorRegistry } = await import('prom-client');
    const { perProcessGauges } = await import('../../exporter/cluster.js');
    const worker = (reloadOk: number) => [
      { name: 'pulse_exporter_config_last_reload_successful', help: 'h', type: 'gauge', aggregator: 'sum', values: [{ value: reloadOk, labels: {} }] },
      { name: 'pulse_exporter_prober_available', help: 'h', type: 'gauge', aggregator: 'sum', values: [{ value: 1, labels: { prober: 'tcp' } }] },
      { name: 'pulse_exporter_probes_in_flight', help: 'h', type: 'gauge', aggregator: 'sum', values: [{ value: 2, labels: { prober: 'tcp' } }] },
    ];
    const text = await AggregatorRegistry.aggregate([worker(1), worker(0), worker(1)].map(perProcessGauges) as never).metrics();
    expect(text).toMatch(/^pulse_exporter_config_last_reload_successful 0$/m);
    expect(text).toMatch(/^pulse_exporter_prober_available\{prober="tcp"\} 1$/m);
    expect(text).toMatch(/^pulse_exporter_probes_in_flight\{prober="tcp"\} 6$/m);
  });
});
