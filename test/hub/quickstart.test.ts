import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
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
  let token = '';
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
    // An admin token is made and printed; the hub accepts it (a wrong one is refused).
    token = /export PULSE_TOKEN=(\S+)/.exec(qs.summary)?.[1] ?? '';
    expect((await fetch(`${qs.hubUrl}/agents/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${qs.hubUrl}/agents/`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await stat(join(dir, 'admin.token'))).mode & 0o777).toBe(0o600);
  } finally {
    await qs.close();
  }
  const again = await runQuickstart({ dir, ports: { hub: 0, agents: 0, exporter: 0 } });
  try {
    expect(again.summary).toMatch(/^Using .*pulse\.yml/);
    expect(again.summary).toContain(`export PULSE_TOKEN=${token}`);
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

async function occupy(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const s = createServer();
  await new Promise<void>((r) => s.listen({ host: '127.0.0.1', port, exclusive: true }, r));
  return { port: (s.address() as AddressInfo).port, close: () => new Promise((r) => s.close(() => r())) };
}

test('a busy port is replaced everywhere: listener, config file, the exporter\'s hub URL and the targets', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-quickstart-ports-'));
  dirs.push(dir);
  const busy = await occupy();
  const sd = async (hubUrl: string) => ((await (await fetch(`${hubUrl}/sd`)).json()) as Array<{ labels: Record<string, string> }>).map((t) => t.labels.__param_target);
  try {
    const qs = await runQuickstart({ dir, ports: { hub: busy.port, agents: 0, exporter: 0 } });
    let hubPort = 0;
    try {
      hubPort = Number(new URL(qs.hubUrl).port);
      expect(hubPort).not.toBe(busy.port);
      const text = await readFile(join(dir, 'pulse.yml'), 'utf8');
      expect(text).toContain(`listen: 127.0.0.1:${hubPort}\n`);
      expect(text).toContain(`"http://127.0.0.1:${hubPort}/-/healthy"`);
      expect(text).not.toContain(`:${busy.port}`);
      expect(await sd(qs.hubUrl)).toContain(`http://127.0.0.1:${hubPort}/-/healthy`);
      const agents = (await (await fetch(`${qs.hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean }> };
      expect(agents.agents).toEqual([expect.objectContaining({ name: 'local', active: true })]);
    } finally {
      await qs.close();
    }

    // An edited file is not rewritten, but this run still uses one set of ports throughout.
    const file = join(dir, 'pulse.yml');
    const edited = `${await readFile(file, 'utf8')}# mine\n`;
    await writeFile(file, edited);
    const again = await occupy(hubPort);
    try {
      const qs2 = await runQuickstart({ dir });
      try {
        const port2 = Number(new URL(qs2.hubUrl).port);
        expect(port2).not.toBe(hubPort);
        expect(qs2.summary).toMatch(/were busy: this run uses hub \d+/);
        // Off 7778 the CLI must be told where the hub is, or it talks to whatever holds 7778.
        expect(qs2.summary).toContain(`  export PULSE_HUB=${qs2.hubUrl}   # the CLI's default is http://127.0.0.1:7778`);
        expect(await readFile(file, 'utf8')).toBe(edited);
        expect(await sd(qs2.hubUrl)).toContain(`http://127.0.0.1:${port2}/-/healthy`);
      } finally {
        await qs2.close();
      }
    } finally {
      await again.close();
    }
  } finally {
    await busy.close();
  }
});
