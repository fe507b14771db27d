import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../client/api.js';
import { type CountingServer, countingServer } from '../helpers/burst.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { buildPulseBinary, runPulse } from './helpers/binary.js';

/** `pulse burst`, `pulse ping --tcp` and `pulse sockets`: the real binary, hub and two exporters. */

let fleet: Fleet;
let bin: string;
let server: CountingServer;
let env: Record<string, string>;

beforeAll(async () => {
  [fleet, bin, server] = await Promise.all([
    startFleet({
      agents: [
        { name: 'ams-1', labels: { region: 'eu' } },
        // A smaller agent: its operator allows bursts of at most 30 connections.
        { name: 'fra-1', labels: { region: 'eu' }, exporter: { burst: { max_connections: 30 } } },
      ],
    }),
    buildPulseBinary(),
    countingServer((s) => s.resume()),
  ]);
  env = { PULSE_HUB: fleet.hubUrl };
});

afterAll(async () => {
  await server?.close();
  await fleet?.close();
  if (bin) await rm(dirname(bin), { recursive: true, force: true });
});

const json = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"agent"'))
    .map((l) => JSON.parse(l) as Row);

describe('pulse burst', () => {
  it('prints connections, stalls, failures and connect-time quantiles per agent', async () => {
    const r = await runPulse(bin, ['burst', `127.0.0.1:${server.port}`, '-n', '20', '-c', '5', '-4'], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+STATUS\s+CONN\s+STALLED\s+FAILED\s+P50\s+P99\s+MAX\s+NOTE$/);
    expect(lines[1]).toMatch(/^ams-1\s+ok\s+20\s+0\s+0\s+\S+ m?s\s+\S+ m?s\s+\S+ m?s$/);
    expect(lines[2]).toMatch(/^fra-1\s+ok\s+20\s+0\s+0\s/);
  });

  it("shows the agent that refuses a burst above its limit as a failed row with the reason", async () => {
    const r = await runPulse(bin, ['--json', 'burst', `127.0.0.1:${server.port}`, '-n', '40', '-c', '10', '-4'], { env });
    expect(r.exitCode).toBe(1);
    const rows = json(r.stdout);
    expect(rows.find((x) => x.agent === 'ams-1')?.status).toBe('ok');
    const fra = rows.find((x) => x.agent === 'fra-1')!;
    expect(fra.status).toBe('failed');
    expect(fra.result?.reason).toBe("connections 40 is above this agent's limit of 30 (exporter.burst.max_connections)");
  });

  it('is refused by the hub above the hard maximum, before any agent runs it', async () => {
    const r = await runPulse(bin, ['burst', `127.0.0.1:${server.port}`, '-n', '20000'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('PULSE_BAD_OPTIONS');
    expect(r.stderr).toContain('options.connections');
  });
});

describe('pulse ping --tcp and pulse sockets', () => {
  it('TCP-pings HOST on PORT: RTT and loss columns', async () => {
    const r = await runPulse(bin, ['ping', '--tcp', String(server.port), '127.0.0.1', '-c', '2'], { env });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT\s+STATUS\s+TIME\s+RTT\s+LOSS\s+NOTE$/);
    expect(lines[1]).toMatch(/^ams-1\s+ok\s+.*\s0%$/);
  });

  it("lists every agent's sockets to a remote end by state", async () => {
    const r = await runPulse(bin, ['--json', 'sockets', `127.0.0.1:${fleet.hubUrl.split(':').at(-1)!.replace(/\D.*$/, '')}`], { env });
    expect(r.exitCode).toBe(0);
    const rows = json(r.stdout);
    expect(rows).toHaveLength(2);
    expect(rows.every((x) => x.status === 'ok' && Array.isArray(x.result?.metrics.probe_tcp_sockets))).toBe(true);
  });
});
