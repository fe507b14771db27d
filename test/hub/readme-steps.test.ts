import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Measurement } from '../../hub/measurement.js';
import { initCa, issueFiles } from '../../lib/pki.js';
import { bundleEntry } from './bundle.js';
import { measure } from './client.js';

/** A tiny authoritative server on loopback: every A question gets 192.0.2.<n>. */
async function dnsServer(n: number): Promise<{ socket: Socket; addr: string }> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const answer = dnsPacket.encode({
      id: q.id,
      type: 'response',
      flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.RECURSION_DESIRED,
      questions: q.questions,
      answers: question?.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, class: 'IN', data: `192.0.2.${n}` }] : [],
    });
    socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, addr: `127.0.0.1:${(socket.address() as AddressInfo).port}` };
}

/** Runs a bundled program and resolves with the first match of `pattern` in its output. */
async function start(file: string, args: string[], pattern: RegExp): Promise<{ proc: ResultPromise; match: RegExpExecArray }> {
  const proc = execa('node', [file, ...args], { reject: false, all: true, buffer: false });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    proc.all?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = pattern.exec(output);
      if (m) resolve(m);
    });
    proc.then((r) => reject(new Error(`${file} exited with ${r.exitCode}:\n${output}`)));
  });
  return { proc, match };
}

let dir = '';
const procs: ResultPromise[] = [];
const servers: Socket[] = [];
let hubUrl = '';
const bundles: string[] = [];
const exporterProcs = new Map<string, ResultPromise>();
const resolvers: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-readme-'));
  const certs = join(dir, 'certs');
  // The README's steps: a CA, a server certificate for the hub, one agent certificate per exporter.
  await initCa(certs);
  await issueFiles(certs, { kind: 'server', name: 'hub', hosts: ['localhost', '127.0.0.1'] });
  const names = ['ams', 'fra', 'nyc'];
  for (const n of names) await issueFiles(certs, { kind: 'agent', name: n, hosts: ['localhost', '127.0.0.1'] });

  for (let i = 1; i <= 2; i++) {
    const s = await dnsServer(i);
    servers.push(s.socket);
    resolvers.push(s.addr);
  }

  const [hubBin, exporterBin] = await Promise.all([bundleEntry('hub/main.ts'), bundleEntry('exporter/main.ts')]);
  bundles.push(hubBin, exporterBin);
  const hubConfig = join(dir, 'hub.yml');
  await writeFile(
    hubConfig,
    `hub:\n  agent_tls:\n    cert_file: ${certs}/hub.crt\n    key_file: ${certs}/hub.key\n    ca_file: ${certs}/ca.crt\n`,
  );
  const hub = await start(
    hubBin,
    ['--config', hubConfig, '--listen', '127.0.0.1:0', '--agent-listen', '127.0.0.1:0', '--data', join(dir, 'hub-data')],
    /"users":"([^"]+)","agents":"([^"]+)"/,
  );
  procs.push(hub.proc);
  hubUrl = `http://${hub.match[1]}`;
  const agentsAddr = hub.match[2]!;

  for (const n of names) {
    const cfg = join(dir, `${n}.yml`);
    await writeFile(
      cfg,
      `modules: {}
exporter:
  labels: {site: ${n}}
  tls: {cert_file: ${certs}/${n}.crt, key_file: ${certs}/${n}.key, client_ca_file: ${certs}/ca.crt}
  hub: {url: "https://${agentsAddr}", ca_file: ${certs}/ca.crt, cert_file: ${certs}/${n}.crt, key_file: ${certs}/${n}.key, heartbeat_interval: 1s}
`,
    );
    const e = await start(exporterBin, ['--config', cfg, '--listen', '127.0.0.1:0'], /registered with the hub/);
    procs.push(e.proc);
    exporterProcs.set(n, e.proc);
  }
  for (;;) {
    const { agents } = (await (await fetch(`${hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean }> };
    if (agents.filter((a) => a.active).length === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGTERM');
  await Promise.all(procs);
  for (const s of servers) s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  for (const b of bundles) await rm(b, { force: true });
});

test('POST /dns/ with the original Pulse payload: one result per agent and resolver', async () => {
  const m = await measure(hubUrl, { Host: 'www.pulse.test', QType: 1, Targets: resolvers }, '/dns/');
  expect(m.rows.map((r) => `${r.agent} ${r.target} ${r.status}`)).toEqual([
    `ams ${resolvers[0]} ok`,
    `ams ${resolvers[1]} ok`,
    `fra ${resolvers[0]} ok`,
    `fra ${resolvers[1]} ok`,
    `nyc ${resolvers[0]} ok`,
    `nyc ${resolvers[1]} ok`,
  ]);
  const first = m.rows[0]!.result!;
  expect(first.metrics.probe_dns_answer_rrs).toBe(1);
  expect(JSON.stringify(first.details)).toContain('192.0.2.1');
  expect(JSON.stringify(m.rows[1]!.result!.details)).toContain('192.0.2.2');
  expect(m.rows[0]!.labels).toEqual({ site: 'ams' });
});

test('killing one exporter turns its rows offline; the others still answer', async () => {
  const victim = exporterProcs.get('fra')!;
  victim.kill('SIGKILL');
  await victim;
  const m: Measurement = await measure(hubUrl, { Host: 'www.pulse.test', QType: 1, Targets: resolvers, timeout: 20 }, '/dns/');
  expect(m.rows.map((r) => `${r.agent} ${r.status}`)).toEqual(['ams ok', 'ams ok', 'fra offline', 'fra offline', 'nyc ok', 'nyc ok']);
  expect(m.rows[2]!.reason).toMatch(/^agent unreachable: /);
  expect(m.summary).toEqual({ ok: 4, failed: 0, timeout: 0, offline: 2 });
});
