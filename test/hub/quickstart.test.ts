import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { runQuickstart } from '../../quickstart/run.js';
import { bundleEntry } from './bundle.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

test('first run makes a dev PKI and config, starts a hub with one active agent; the second run reuses them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-quickstart-'));
  dirs.push(dir);
  const qs = await runQuickstart({ dir, ports: { hub: 0, agents: 0, exporter: 0 } });
  try {
    expect(qs.summary).toMatch(/First run: created .*ca\.crt/);
    expect(qs.summary).toContain(`curl -s ${qs.hubUrl}/agents/`);
    expect((await stat(join(dir, 'certs', 'ca.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'pulse.yml'), 'utf8')).toMatch(/agent_tls:/);
    const agents = (await (await fetch(`${qs.hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean; url: string }> };
    expect(agents.agents).toHaveLength(1);
    expect(agents.agents[0]).toMatchObject({ name: 'local', active: true, url: qs.exporterUrl });
    // The hub can run a test on its agent over mutual TLS.
    const res = await fetch(`${qs.hubUrl}/api/v1/measurements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'http', target: `${qs.hubUrl}/-/healthy`, timeout: 10 }),
    });
    const m = (await res.json()) as { rows: Array<{ agent: string; status: string }> };
    expect(m.rows).toEqual([expect.objectContaining({ agent: 'local', status: 'ok' })]);
  } finally {
    await qs.close();
  }
  const again = await runQuickstart({ dir, ports: { hub: 0, agents: 0, exporter: 0 } });
  try {
    expect(again.summary).toMatch(/^Using .*pulse\.yml/);
  } finally {
    await again.close();
  }
});

test('npm start\'s entry point, run as its own process in an empty directory', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-npm-start-'));
  dirs.push(dir);
  const outfile = await bundleEntry('quickstart/main.ts');
  const proc = execa('node', [outfile], { cwd: dir, env: { PULSE_QUICKSTART_DIR: join(dir, 'data') }, reject: false, all: true, buffer: false });
  try {
    let output = '';
    const hubUrl = await new Promise<string>((resolve, reject) => {
      proc.all?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /hub \(users\)\s+(http:\/\/\S+)\//.exec(output);
        if (m && output.includes('Ctrl-C')) resolve(m[1]!);
      });
      proc.then((r) => reject(new Error(`exited with ${r.exitCode}:\n${output}`)));
    });
    expect(output).toContain('Pulse is running');
    const agents = (await (await fetch(`${hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean }> };
    expect(agents.agents).toEqual([expect.objectContaining({ name: 'local', active: true })]);
  } finally {
    proc.kill('SIGTERM');
    const r = await proc;
    await rm(outfile, { force: true });
    expect(r.signal ?? r.exitCode).not.toBe(1);
  }
});
