import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Measurement } from '../../hub/measurement.js';
import {
  eventually,
  type HubProcess,
  makeProcessPki,
  type ProcessAgent,
  type ProcessPki,
  startAgent,
  startHubProcess,
  writeHubConfig,
} from '../helpers/hub-process.js';

/**
 * The built hub as a real process, killed and started again on the same ports and data directory:
 * what it answered before must still be there, whether it was stopped (SIGTERM) or killed (SIGKILL).
 */

let pki: ProcessPki;
let config: string;
let hub: HubProcess | undefined;
let agents: ProcessAgent[] = [];
let target: Server;
let targetAddr: string;

async function waitAgents(url: string, names: string[]): Promise<void> {
  await eventually(async () => {
    const body = (await (await fetch(`${url}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean }> };
    return names.every((n) => body.agents.some((a) => a.name === n && a.active)) ? true : undefined;
  }, 20_000, `agents ${names.join(', ')} active`);
}

async function measure(url: string, async = false): Promise<Measurement | { id: string }> {
  const res = await fetch(`${url}/api/v1/measurements${async ? '?async=true' : ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'tcp', target: targetAddr, timeout: 5 }),
  });
  expect(res.status).toBe(async ? 202 : 200);
  return (await res.json()) as Measurement;
}

async function restart(signal: NodeJS.Signals): Promise<HubProcess> {
  const listen = hub!.listen;
  await hub!.stop(signal);
  hub = await startHubProcess(config, listen);
  return hub;
}

beforeAll(async () => {
  pki = await makeProcessPki();
  // The burst below starts 20 measurements at once from one (anonymous) identity: above the default per-identity limit.
  config = await writeHubConfig(pki, 'restart', { agent_inactive_after: '30s', rate_limits: { concurrent_measurements: 32 } });
  target = createServer((s) => s.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetAddr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  hub = await startHubProcess(config);
  agents = await Promise.all(['ams', 'fra'].map((n) => startAgent(pki, n, hub!.agentUrl, { site: n })));
  await waitAgents(hub.userUrl, ['ams', 'fra']);
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.close();
  if (hub && hub.proc.exitCode === null) await hub.stop('SIGKILL');
  await new Promise((r) => target?.close(r));
  await pki?.cleanup();
});

describe('results survive a hub restart', () => {
  test('after SIGTERM, a measurement and its history are served by the new process', async () => {
    const before = (await measure(hub!.userUrl)) as Measurement;
    expect(before.rows.map((r) => [r.agent, r.status])).toEqual([
      ['ams', 'ok'],
      ['fra', 'ok'],
    ]);
    const url = (await restart('SIGTERM')).userUrl;
    const res = await fetch(`${url}/api/v1/measurements/${before.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(before);
    const history = (await (await fetch(`${url}/api/v1/measurements?agent=fra&type=tcp`)).json()) as { rows: Array<{ measurement: string; agent: string }> };
    expect(history.rows.some((r) => r.measurement === before.id && r.agent === 'fra')).toBe(true);
  }, 60_000);

  test('after SIGKILL, every measurement answered as done is there; those cut short are 404, never an error', async () => {
    await waitAgents(hub!.userUrl, ['ams', 'fra']);
    const done = (await measure(hub!.userUrl)) as Measurement;
    // A burst still being written when the process dies.
    const burst = await Promise.all(Array.from({ length: 20 }, () => measure(hub!.userUrl, true)));
    const url = (await restart('SIGKILL')).userUrl;

    const again = await fetch(`${url}/api/v1/measurements/${done.id}`);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(done);
    for (const m of burst) {
      const res = await fetch(`${url}/api/v1/measurements/${m.id}`);
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) expect(((await res.json()) as Measurement).status).toBe('done');
    }
    // The new process appends after what survived: a measurement now is kept too.
    await waitAgents(url, ['ams', 'fra']);
    const after = (await measure(url)) as Measurement;
    expect((await fetch(`${url}/api/v1/measurements/${after.id}`)).status).toBe(200);
  }, 60_000);

  test('a damaged results file is repaired at start with a warning that names it', async () => {
    const dir = join(pki.dir, 'restart-data', 'results');
    await hub!.stop('SIGKILL');
    const [last] = (await readdir(dir)).filter((n) => n.endsWith('.log')).sort().reverse();
    const file = join(dir, last!);
    // Half a record at the end, as a crash mid-write leaves it.
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, Buffer.from([0, 0, 1, 0, 1, 2, 3, 4, 123, 34]));
    hub = await startHubProcess(config, hub!.listen);
    await eventually(async () => (hub!.output().includes(file) ? true : undefined), 5000, 'warning naming the file');
    expect(hub.output()).toMatch(/PulseStoreWarning: .*torn record/);
    expect((await readFile(file)).length).toBeGreaterThan(0);
    expect((await fetch(`${hub.userUrl}/-/healthy`)).status).toBe(200);
  }, 60_000);
});
