import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBinary } from '../helpers/spawn.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';

const BIN = join(import.meta.dirname, '../../dist/hub/main.js');

describe('pulse-hub binary', () => {
  let dir: string;
  let pki: TestPki;
  let good: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-hub-bin-'));
    pki = await createTestPki();
    const cert = await pki.issue('hub');
    good = join(dir, 'good.yml');
    await writeFile(
      good,
      [
        'hub:',
        '  listen: 127.0.0.1:0',
        '  agent_listen: 127.0.0.1:0',
        `  data_dir: ${join(dir, 'data')}`,
        `  agent_tls: {cert_file: ${cert.certFile}, key_file: ${cert.keyFile}, ca_file: ${pki.caFile}}`,
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await pki.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('--check-config exits 0 for a config it can start with and 1 naming each problem', async () => {
    const ok = await execa('node', [BIN, '--config', good, '--check-config'], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe(`${good}: OK (users on 127.0.0.1:0, agents on 127.0.0.1:0, 0 probe jobs)`);

    const noTls = join(dir, 'no-tls.yml');
    await writeFile(noTls, 'hub:\n  listen: 127.0.0.1:0\n');
    const a = await execa('node', [BIN, '--config', noTls, '--check-config'], { reject: false });
    expect(a.exitCode).toBe(1);
    expect(a.stderr).toContain(`${noTls}: hub.agent_tls {cert_file, key_file, ca_file} is required`);

    const missing = join(dir, 'missing.yml');
    await writeFile(missing, `hub:\n  agent_tls: {cert_file: ${dir}/nope.crt, key_file: ${dir}/nope.key, ca_file: ${pki.caFile}}\n`);
    const b = await execa('node', [BIN, '--config', missing, '--check-config'], { reject: false });
    expect(b.exitCode).toBe(1);
    expect(b.stderr).toContain(`hub.agent_tls.cert_file: cannot read ${dir}/nope.crt`);
    expect(b.stderr).toContain(`hub.agent_tls.key_file: cannot read ${dir}/nope.key`);

    const badKey = join(dir, 'bad-key.yml');
    await writeFile(badKey, 'hub:\n  listen_on: 1\n');
    const c = await execa('node', [BIN, '--config', badKey, '--check-config'], { reject: false });
    expect(c.exitCode).toBe(1);
    expect(c.stderr).toContain(`${badKey}:2: hub.listen_on`);
  });

  it('does not log a line per request at info level, and does at debug', async () => {
    for (const [level, expected] of [
      ['info', false],
      ['debug', true],
    ] as const) {
      const { proc, url, output } = await startBinary(BIN, ['--config', good, '--log-level', level], {
        match: /"users":"([^"]+)"/,
      });
      try {
        for (let i = 0; i < 3; i++) expect((await fetch(`http://${url}/agents/`)).status).toBe(200);
        await new Promise((r) => setTimeout(r, 200));
        expect(output().includes('incoming request')).toBe(expected);
        expect(output().includes('request completed')).toBe(expected);
      } finally {
        proc.kill('SIGTERM');
        await proc;
      }
    }
  });
});
