import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinary } from '../helpers/spawn.js';

const BIN = join(import.meta.dirname, '../../dist/exporter/main.js');

describe('pulse-exporter binary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-bin-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--check-config exits 0 for a valid file and 1 with the reason for a bad one', async () => {
    const good = join(dir, 'good.yml');
    const bad = join(dir, 'bad.yml');
    await writeFile(good, 'modules:\n  tcp_connect:\n    prober: tcp\n');
    await writeFile(bad, 'modules:\n  tcp_connect:\n    prober: tcp\n    tcp:\n      nonsense: 1\n');
    const ok = await execa('node', [BIN, '--config', good, '--check-config'], { reject: false });
    expect(ok.exitCode).toBe(0);
    const no = await execa('node', [BIN, '--config', bad, '--check-config'], { reject: false });
    expect(no.exitCode).toBe(1);
    expect(no.stderr).toContain(`${bad}:5: modules.tcp_connect.tcp.nonsense: unknown key`);
  });

  it('serves, reloads on SIGHUP keeping the old config on error, and stops on SIGTERM', async () => {
    const file = join(dir, 'live.yml');
    await writeFile(file, 'modules:\n  tcp_connect:\n    prober: tcp\n');
    const { proc, url } = await startBinary(BIN, ['--config', file, '--listen', '127.0.0.1:0']);
    try {
      expect((await fetch(`${url}/-/healthy`)).status).toBe(200);
      await writeFile(file, 'modules: [broken');
      proc.kill('SIGHUP');
      await expect.poll(async () => (await fetch(`${url}/metrics`)).text()).toContain('pulse_exporter_config_last_reload_successful 0');
      expect((await fetch(`${url}/probe?module=tcp_connect&target=127.0.0.1:1`)).status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
    }
    const result = await proc;
    expect(result.exitCode).toBe(0);
  });
});
