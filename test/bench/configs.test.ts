import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { blackboxConfig, nginxConfig, probePath, pulseConfig } from '../../bench/configs.js';
import { BENCHMARKS, readSettings } from '../../bench/settings.js';
import { BLACKBOX_BIN, NGINX_BIN } from '../../bench/services.js';
import { parseConfig } from '../../lib/config/load.js';

describe('the configs the benchmarks start exporters with', () => {
  it('Pulse loads its config, with the same modules and timeouts as blackbox', () => {
    const config = parseConfig(pulseConfig());
    expect(Object.keys(config.modules).sort()).toEqual(['http_2xx', 'http_body_regex', 'tcp_connect']);
    expect(config.modules.http_body_regex?.http?.fail_if_body_not_matches_regexp).toEqual(['(?i)^\\s*ok\\b']);
    expect(config.modules.http_2xx).toMatchObject({ prober: 'http', timeout: '5s' });
    expect(config.modules.tcp_connect).toMatchObject({ prober: 'tcp', timeout: '5s' });
  });

  it.skipIf(!existsSync(BLACKBOX_BIN))('blackbox_exporter accepts its config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-cfg-'));
    try {
      const file = join(dir, 'blackbox.yml');
      await writeFile(file, blackboxConfig());
      const r = await execa(BLACKBOX_BIN, [`--config.file=${file}`, '--config.check'], { reject: false, all: true });
      expect(r.all).toMatch(/Config file is ok/i);
      expect(r.exitCode).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(NGINX_BIN))('nginx accepts its config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-nginx-'));
    try {
      const file = join(dir, 'nginx.conf');
      await writeFile(file, nginxConfig(dir, 1, 1));
      const r = await execa(NGINX_BIN, ['-t', '-c', file, '-p', dir, '-e', join(dir, 'error.log')], { reject: false, all: true });
      expect(r.all).toMatch(/test is successful/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('encodes the target in the probe path', () => {
    expect(probePath('http_2xx', 'http://127.0.0.1:8080/a?b=c&d')).toBe('/probe?module=http_2xx&target=http%3A%2F%2F127.0.0.1%3A8080%2Fa%3Fb%3Dc%26d');
  });
});

describe('settings from the environment', () => {
  it('defaults to every benchmark at the issue’s concurrencies', () => {
    const s = readSettings({});
    expect([...s.only]).toEqual([...BENCHMARKS]);
    expect(s.concurrency).toEqual([8, 64]);
    expect(s.fidelityConcurrency).toEqual([1, 50, 200]);
    expect(s.agents).toBe(1000);
    expect(s.sdAgents).toBe(10_000);
    expect(s.fidelitySeconds).toBe(s.seconds);
  });

  it('reads overrides and refuses nonsense by name', () => {
    const s = readSettings({ BENCH_SECONDS: '2', BENCH_ONLY: 'sd, fidelity', BENCH_CONCURRENCY: '1,2' });
    expect(s.seconds).toBe(2);
    expect([...s.only].sort()).toEqual(['fidelity', 'sd']);
    expect(s.concurrency).toEqual([1, 2]);
    expect(() => readSettings({ BENCH_SECONDS: 'soon' })).toThrow(/BENCH_SECONDS=soon/);
    expect(() => readSettings({ BENCH_ONLY: 'everything' })).toThrow(/unknown benchmark "everything"/);
    expect(() => readSettings({ BENCH_CONCURRENCY: '0' })).toThrow(/BENCH_CONCURRENCY/);
  });
});
