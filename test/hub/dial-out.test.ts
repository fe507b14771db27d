import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueFiles } from '../../lib/pki.js';
import { TUNNEL_ALPN } from '../../lib/tunnel.js';
import { startDialOut } from '../../exporter/tunnel/dial-out.js';
import type { AgentView } from '../../hub/registry.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure, rowsByAgent } from './client.js';
import { submit, waitFinished, waitFor } from './operations-fixture.js';
import { scriptedRegistry } from './scripted-prober.js';

async function agents(fleet: Fleet): Promise<Record<string, AgentView>> {
  const res = await fetch(`${fleet.hubUrl}/agents/`);
  const { agents: list } = (await res.json()) as { agents: AgentView[] };
  return Object.fromEntries(list.map((a) => [a.name, a]));
}

async function hubMetric(fleet: Fleet, line: string): Promise<number> {
  const text = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.split(' ')[1]) : 0;
}

describe('dial-out agents and direct agents in one fleet', () => {
  let fleet: Fleet;
  let dir: string;
  let hostsFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-dialout-'));
    hostsFile = join(dir, 'hosts');
    await writeFile(hostsFile, '127.0.0.1 localhost\n');
    const hostChecks = { host_checks: { allowed_paths: [`${dir}/**`] } };
    fleet = await startFleet({
      agents: [
        { name: 'near', labels: { site: 'dc' }, exporter: hostChecks },
        { name: 'far', labels: { site: 'school' }, mode: 'dial-out', exporter: hostChecks },
      ],
      probers: scriptedRegistry(),
      hub: { tunnel_keepalive: '1s' },
    });
  });
  afterAll(async () => {
    await fleet?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/agents/ tells how each agent is connected, and since when', async () => {
    const list = await agents(fleet);
    expect(list.far!.connection).toMatchObject({ mode: 'dial-out', connected: true });
    expect(list.near!.connection).toMatchObject({ mode: 'direct', connected: true });
    for (const a of Object.values(list)) expect(Date.parse(a.connection!.since)).toBeLessThanOrEqual(Date.now());
    expect(list.far!.labels).toEqual({ site: 'school' });
    expect(fleet.hub.tunnels.size).toBe(1);
    // The tunnel made the agent's call-duration series, at zero, before its first test.
    expect((await (await fetch(`${fleet.hubUrl}/metrics`)).text()).includes('pulse_hub_agent_call_duration_seconds_count{agent="far"} 0')).toBe(true);
  });

  test('ad-hoc tests reach both, and many at once share the one tunnel', async () => {
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => measure(fleet.hubUrl, { type: 'tcp', target: `ok.test:${i + 1}` })));
    for (const m of all) expect(m.summary).toEqual({ ok: 2, failed: 0, timeout: 0, offline: 0 });
    const failed = await measure(fleet.hubUrl, { type: 'tcp', target: 'fail.test:1', agents: { name: 'far' } });
    expect(rowsByAgent(failed).far).toMatchObject({ status: 'failed', reason: 'scripted failure' });
  });

  test('operations reach a dial-out agent', async () => {
    const res = await submit(fleet.hubUrl, { operations: { hosts_exists: { type: 'file_exists', path: hostsFile } } });
    expect(res.status).toBe(202);
    const { handle } = (await res.json()) as { handle: string };
    const op = await waitFinished(fleet.hubUrl, handle);
    expect(op.results.map((r) => [r.agent, r.status]).sort()).toEqual([
      ['far', 'ok'],
      ['near', 'ok'],
    ]);
  });

  test('a second tunnel with the same certificate replaces the first; never two', async () => {
    const twin = await fleet.addExporter({ name: 'twin', mode: 'dial-out' });
    await fleet.waitActive(['twin'], 5000);
    const before = fleet.hub.tunnels.get('twin')!;
    const second = startDialOut(twin.exporter, twin.exporter.app.server.address(), twin.exporter.app.log);
    try {
      await waitFor(async () => fleet.hub.tunnels.get('twin') !== before);
      expect(fleet.hub.tunnels.size).toBe(2);
      await waitFor(async () => before.session.destroyed);
      // Counted on the session's 'close' event, which comes a tick or more after `destroyed`.
      await waitFor(async () => (await hubMetric(fleet, 'pulse_hub_tunnel_closes_total{reason="replaced"}')) >= 1);
      const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'twin' } });
      expect(m.summary.ok).toBe(1);
    } finally {
      second.stop();
      twin.client.stop();
    }
    await waitFor(async () => fleet.hub.tunnels.get('twin') === undefined);
    expect(await fleet.hub.registry.remove('twin')).toBe(true);
  });

  test('garbage on a tunnel closes that tunnel only; a client certificate cannot open one', async () => {
    const junk = await issueFiles(fleet.certDir, { kind: 'agent', name: 'junk' });
    const sock = tls.connect({
      host: '127.0.0.1',
      port: Number(new URL(fleet.agentUrl).port),
      ca: await readFile(fleet.caFile),
      cert: await readFile(junk.certFile),
      key: await readFile(junk.keyFile),
      ALPNProtocols: [TUNNEL_ALPN],
    });
    await new Promise<void>((resolve, reject) => sock.once('secureConnect', resolve).once('error', reject));
    const closed = new Promise((r) => sock.once('close', r));
    sock.on('error', () => undefined);
    // Reading, so the hub's close is seen.
    sock.resume();
    sock.write(Buffer.from('this is not HTTP/2 at all, and it goes on\r\n\r\n'.repeat(20)));
    await closed;
    await waitFor(async () => (await hubMetric(fleet, 'pulse_hub_tunnel_closes_total{reason="protocol"}')) >= 1 || (await hubMetric(fleet, 'pulse_hub_tunnel_closes_total{reason="refused"}')) >= 1);
    expect((await agents(fleet)).junk).toBeUndefined();

    const client = tls.connect({
      host: '127.0.0.1',
      port: Number(new URL(fleet.agentUrl).port),
      ca: await readFile(fleet.caFile),
      cert: await readFile(fleet.client.certFile),
      key: await readFile(fleet.client.keyFile),
      ALPNProtocols: [TUNNEL_ALPN],
    });
    client.on('error', () => undefined);
    client.resume();
    await new Promise((r) => client.once('close', r));
    expect((await agents(fleet)).tester).toBeUndefined();

    const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
    expect(m.rows.map((r) => [r.agent, r.status, r.reason])).toEqual([
      ['far', 'ok', undefined],
      ['near', 'ok', undefined],
    ]);
  });

  test('a dropped tunnel is offline at once, not after the timeout; the agent comes back', async () => {
    const far = fleet.exporters.find((e) => e.name === 'far')!;
    await fleet.waitActive(['far'], 10_000);
    // The agent hangs up (as a stopped or crashed exporter does).
    far.client.stop();
    await waitFor(async () => !(await agents(fleet)).far!.connection!.connected, 2000);
    const started = Date.now();
    const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', timeout: 10 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(rowsByAgent(m).far).toMatchObject({ status: 'offline' });
    expect(rowsByAgent(m).far!.reason).toMatch(/tunnel/);
    expect(rowsByAgent(m).near!.status).toBe('ok');
    far.client = startDialOut(far.exporter, far.exporter.app.server.address(), far.exporter.app.log);
    await fleet.waitActive(['far'], 3000);
    const again = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'far' } });
    expect(again.summary.ok).toBe(1);
  });

  test('after a hub restart the dial-out agent is back within 2 s of the hub listening', async () => {
    await fleet.restartHub();
    const up = Date.now();
    await fleet.waitActive(['far'], 2000);
    expect(Date.now() - up).toBeLessThan(2000);
    expect((await agents(fleet)).far!.connection).toMatchObject({ mode: 'dial-out', connected: true });
  });
});
