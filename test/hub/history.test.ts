import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Io } from '../../cli/context.js';
import { runArgv } from '../../cli/program.js';
import type { Measurement } from '../../hub/measurement.js';
import type { HistoryPage } from '../../hub/store/results.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';

/** History through the users' API and `pulse history`, on a hub with two real exporters. */

let fleet: Fleet;
let target: Server;
let open: string;
let closed: string;
const ids: string[] = [];

async function measure(t: string): Promise<Measurement> {
  const res = await fetch(`${fleet.hubUrl}/api/v1/measurements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'tcp', target: t, timeout: 5 }),
  });
  return (await res.json()) as Measurement;
}

async function history(query: string): Promise<{ status: number; body: HistoryPage & { error?: { code: string; message: string } } }> {
  const res = await fetch(`${fleet.hubUrl}/api/v1/measurements${query}`);
  return { status: res.status, body: (await res.json()) as never };
}

async function pulse(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: { write: (s: string) => out.push(s) > 0 } as Io['stdout'],
    stderr: { write: (s: string) => err.push(s) > 0 } as Io['stderr'],
    env: { PULSE_HUB: fleet.hubUrl },
    readStdin: async () => '',
  };
  const code = await runArgv(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

beforeAll(async () => {
  target = createServer((s) => s.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  open = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  // A port nothing listens on: the agents' rows there are "failed".
  const gone = createServer();
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
  closed = `127.0.0.1:${(gone.address() as AddressInfo).port}`;
  await new Promise((r) => gone.close(r));
  fleet = await startFleet({ agents: [{ name: 'ams', labels: { site: 'ams' } }, { name: 'fra', labels: { site: 'fra' } }] });
  for (const t of [open, closed, open]) ids.push((await measure(t)).id);
}, 60_000);

afterAll(async () => {
  await fleet?.close();
  await new Promise((r) => target?.close(r));
});

describe('GET /api/v1/measurements', () => {
  test('lists rows of past measurements newest first, filtered by target and agent', async () => {
    const { status, body } = await history(`?target=${encodeURIComponent(open)}&agent=fra`);
    expect(status).toBe(200);
    expect(body.rows.map((r) => r.measurement)).toEqual([ids[2], ids[0]]);
    expect(body.rows[0]).toMatchObject({ agent: 'fra', labels: { site: 'fra' }, type: 'tcp', target: open, status: 'ok' });
    // The headline figure (TCP connect time) comes with each row, read once when it was stored.
    for (const r of body.rows) expect(r.figure_seconds).toBeGreaterThan(0);
    expect(body.rows[0]!.figure_seconds).toBeLessThan(5);
    expect(body.rows[0]).not.toHaveProperty('loss_ratio');
    expect(body.next).toBeNull();
    const failed = await history(`?target=${encodeURIComponent(closed)}`);
    expect(failed.body.rows.map((r) => [r.agent, r.status])).toEqual([
      ['fra', 'failed'],
      ['ams', 'failed'],
    ]);
    expect(failed.body.rows[0]!.reason).toBeTruthy();
  });

  test('pages with limit and the cursor it hands out', async () => {
    const first = await history('?limit=4');
    expect(first.body.rows).toHaveLength(4);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await history(`?limit=4&cursor=${first.body.next}`);
    expect(second.body.rows).toHaveLength(2);
    const all = [...first.body.rows, ...second.body.rows].map((r) => `${r.measurement}/${r.agent}`);
    expect(new Set(all).size).toBe(6);
  });

  test('time bounds take RFC 3339 or a duration ago', async () => {
    expect((await history('?since=1h')).body.rows).toHaveLength(6);
    expect((await history('?until=1h')).body.rows).toHaveLength(0);
    expect((await history(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).body.rows).toHaveLength(0);
  });

  test.each([
    ['?limit=0', /limit must be between 1 and 1000/],
    ['?limit=abc', /limit/],
    ['?since=yesterday', /since must be an RFC 3339 time/],
    ['?since=1h&until=2h', /since is after until/],
    ['?type=smtp', /type/],
    ['?colour=red', /unknown parameter/],
    ['?agent=a&agent=b', /agent/],
    ['?cursor=bm90LWEtY3Vyc29y', /cursor/],
  ])('%s is a 400 with a reason', async (query, reason) => {
    const { status, body } = await history(query);
    expect(status).toBe(400);
    expect(body.error?.code).toBe('PULSE_BAD_REQUEST');
    expect(body.error?.message).toMatch(reason);
  });
});

describe('pulse history', () => {
  test('prints a table of past rows for a target and agent', async () => {
    const r = await pulse(['history', open, '--agent', 'ams']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+AGENT\s+TYPE\s+TARGET\s+STATUS\s+SECONDS\s+REASON\s+MEASUREMENT$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(ids[2]);
    expect(lines[1]).toMatch(/ams\s+tcp\s+\S+\s+ok/);
  });

  test('--trend prints per test and agent the runs, the failures and a sparkline', async () => {
    const r = await pulse(['history', '--type', 'tcp', '--trend']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    // Newest test first: the open target was measured last (and first).
    expect(lines[0]).toBe(`TCP connect time, tcp ${open} (oldest → newest; × did not pass):`);
    expect(lines[1]).toMatch(/^AGENT\s+RUNS\s+FAILED\s+MIN\s+MEDIAN\s+MAX\s+LAST\s+TREND$/);
    expect(lines[2]).toMatch(/^ams\s+2\s+0\s+\S+ m?s\s+\S+ m?s\s+\S+ m?s\s+\S+ m?s\s+[▁▂▃▄▅▆▇█]{2}$/);
    expect(lines[3]).toMatch(/^fra\s+2\s+0\s/);
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe(`TCP connect time, tcp ${closed} (oldest → newest; × did not pass):`);
    // A run that did not pass is a cross, not a gap, and has no figure in the spread.
    expect(lines[7]).toMatch(/^ams\s+1\s+1\s+failed\s+×$/);
    expect(lines[8]).toMatch(/^fra\s+1\s+1\s+failed\s+×$/);
  });

  test('--json prints one row per line; --limit bounds it', async () => {
    const r = await pulse(['--json', 'history', '--limit', '3']);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { measurement: string });
    expect(rows).toHaveLength(3);
    expect(rows[0]!.measurement).toBe(ids[2]);
  });

  test('a bad time is the hub\'s 400, shown with exit status 2', async () => {
    const r = await pulse(['history', '--since', 'yesterday']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/since must be an RFC 3339 time/);
  });
});
