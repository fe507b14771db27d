import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import { PROTOCOL_VERSION } from '../../lib/wire.js';
import { LiveMeasurement } from '../../hub/live.js';
import { MeasurementStore, newMeasurementId } from '../../hub/measurements.js';
import { ConcurrencyQueue } from '../../hub/queue.js';
import { agentState, Registry } from '../../hub/registry.js';
import { answerMode } from '../../hub/respond.js';
import { reachableUrl } from '../../hub/routes/agent.js';
import { buildSd } from '../../hub/sd.js';
import { matchesSelector, parseSelector } from '../../hub/selector.js';
import { FileAgentStore } from '../../hub/store/file.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';

const ann = (over: Partial<Parameters<Registry['accept']>[1]> = {}) => ({
  protocol: PROTOCOL_VERSION,
  url: 'https://10.0.0.1:9115',
  labels: { site: 'ams' },
  probers: ['http', 'dns'],
  ip_versions: [4] as Array<4 | 6>,
  version: '0.1.0',
  ...over,
});

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pulse-registry-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('Registry', () => {
  test('active by heartbeat age, refused stays inactive with its reason', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const reg = new Registry(new MemoryAgentStore(), 45_000, () => now);
    await reg.accept('b', ann());
    await reg.accept('a', ann({ labels: {} }));
    expect(reg.list().map((a) => [a.name, a.active])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    now += 45_000;
    expect(reg.list()[0]!.active).toBe(true);
    now += 1;
    expect(reg.list()[0]!.active).toBe(false);
    expect(agentState(reg.list()[0]!)).toBe('inactive');
    await reg.accept('a', ann());
    expect(reg.list()[0]!.active).toBe(true);
    await reg.refuse('a', 'protocol 2 is not supported', { protocol: 2, version: '9' });
    const a = reg.list()[0]!;
    expect(a).toMatchObject({ active: false, refused: 'protocol 2 is not supported', protocol: 2, version: '9', url: 'https://10.0.0.1:9115' });
    expect(agentState(a)).toBe('refused');
  });

  test('the file store survives a restart and is written atomically', async () => {
    const dir = await tempDir();
    const reg = new Registry(new FileAgentStore(dir), 45_000);
    // Many announcements at once: coalesced writes, the last state wins.
    await Promise.all(Array.from({ length: 20 }, (_, i) => reg.accept(`agent${i % 4}`, ann({ version: String(i) }))));
    const again = new Registry(new FileAgentStore(dir), 45_000);
    await again.init();
    expect(again.list().map((a) => [a.name, a.version])).toEqual([
      ['agent0', '16'],
      ['agent1', '17'],
      ['agent2', '18'],
      ['agent3', '19'],
    ]);
    expect(await readdir(dir)).toEqual(['agents.json']);
    expect((await stat(join(dir, 'agents.json'))).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(join(dir, 'agents.json'), 'utf8')) as { version: number; agents: unknown[] };
    expect(file.version).toBe(1);
    expect(file.agents).toHaveLength(4);
  });

  test('an unreadable registry file is an error, not an empty fleet', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'agents.json'), '{"something":"else"}');
    await expect(new FileAgentStore(dir).load()).rejects.toThrow(/not a Pulse agent registry/);
  });
});

describe('selectors', () => {
  test('equality on labels, name as a pseudo-label', () => {
    const agent = { name: 'ams1', labels: { site: 'ams', tier: 'edge' } };
    expect(matchesSelector({}, agent)).toBe(true);
    expect(matchesSelector({ site: 'ams' }, agent)).toBe(true);
    expect(matchesSelector({ site: 'ams', tier: 'core' }, agent)).toBe(false);
    expect(matchesSelector({ name: 'ams1' }, agent)).toBe(true);
    expect(matchesSelector({ name: 'ams2' }, agent)).toBe(false);
    expect(matchesSelector({ missing: '' }, agent)).toBe(false);
    // An announced `name` label cannot stand in for the certificate's name.
    expect(matchesSelector({ name: 'ams1' }, { name: 'evil', labels: { name: 'ams1' } })).toBe(false);
  });
  test('parsing refuses non-strings and bad names', () => {
    expect(parseSelector(undefined)).toEqual({});
    expect(parseSelector({ site: 'x' })).toEqual({ site: 'x' });
    expect(() => parseSelector({ '0x': 'y' })).toThrow(/not a valid label name/);
    expect(() => parseSelector('site=x')).toThrow(/object/);
  });
});

describe('/sd groups', () => {
  const view = (name: string, labels: Record<string, string>, active = true) => ({
    name,
    labels,
    url: `https://${name}.pulse.test:9115`,
    version: '1',
    protocol: 1,
    probers: ['http'],
    ip_versions: [4],
    active,
    last_seen: '2026-01-01T00:00:00Z',
    refused: null,
  });
  const config = resolveConfig({
    targets: [
      { name: 'web', module: 'http_2xx', targets: ['https://a.test', 'https://b.test'], labels: { team: 'sre', __evil: 'x' } },
      { name: 'edge_only', module: 'icmp', targets: ['192.0.2.1'], agents: { tier: 'edge' } },
    ],
  });

  test('one group per active agent, job and target, with everything the scrape needs', () => {
    const agents = [view('ams', { tier: 'edge', __scheme__: 'http' }), view('nyc', { tier: 'core' }), view('old', {}, false)];
    const groups = buildSd(config.targets, agents);
    expect(groups).toHaveLength(5);
    expect(groups[0]).toEqual({
      targets: ['ams.pulse.test:9115'],
      labels: {
        team: 'sre',
        tier: 'edge',
        __scheme__: 'https',
        __metrics_path__: '/probe',
        __param_module: 'http_2xx',
        __param_target: 'https://a.test',
        job: 'web',
        agent: 'ams',
        instance: 'https://a.test',
      },
    });
    expect(groups.filter((g) => g.labels.job === 'edge_only').map((g) => g.labels.agent)).toEqual(['ams']);
    expect(buildSd(config.targets, agents, 'edge_only')).toHaveLength(1);
    expect(groups.some((g) => g.labels.agent === 'old')).toBe(false);
  });
});

describe('ConcurrencyQueue', () => {
  test('never more than the limit at once; aborted waiters leave the line', async () => {
    const q = new ConcurrencyQueue(2);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task = () =>
      new Promise<void>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    const never = new AbortController();
    const p = [q.run(never.signal, task), q.run(never.signal, task), q.run(never.signal, task)];
    const leaving = new AbortController();
    const left = q.run(leaving.signal, task);
    leaving.abort(new Error('gave up'));
    await expect(left).rejects.toThrow('gave up');
    expect(q.inFlight).toBe(2);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(p);
    expect(peak).toBe(2);
    expect(q.inFlight).toBe(0);
  });
});

describe('MeasurementStore', () => {
  const live = () => new LiveMeasurement({ id: newMeasurementId(), type: 'tcp', target: 't', options: {}, agents: {}, created_at: '', timeout: 1 });

  test('finished measurements expire after the TTL; running ones stay', async () => {
    let now = 1_000_000;
    const store = new MeasurementStore(60_000, 10, () => now);
    const done = live();
    const running = live();
    store.add(done);
    store.add(running);
    done.finish();
    await done.done;
    await new Promise((r) => setImmediate(r));
    now += 60_001;
    expect(store.get(done.data.id)).toBeUndefined();
    expect(store.get(running.data.id)).toBe(running);
    store.close();
  });

  test('at most max finished measurements, oldest dropped first; ids are 128-bit base64url', async () => {
    const store = new MeasurementStore(60_000, 3);
    const items = Array.from({ length: 5 }, live);
    for (const m of items) {
      m.finish();
      store.add(m);
      await m.done;
    }
    expect(store.size).toBe(3);
    expect(store.get(items[0]!.data.id)).toBeUndefined();
    expect(store.get(items[4]!.data.id)).toBe(items[4]);
    expect(new Set(items.map((m) => m.data.id)).size).toBe(5);
    for (const m of items) expect(Buffer.from(m.data.id, 'base64url')).toHaveLength(16);
    store.close();
  });

  test('subscribers get past rows, then new ones, then done; rows end sorted', () => {
    const m = live();
    const row = (agent: string) => ({ agent, labels: {}, target: 't', status: 'ok' as const, duration_seconds: 0, result: null });
    m.addRow(row('b'));
    const seen: string[] = [];
    m.subscribe((ev) => seen.push(ev.kind === 'row' ? ev.row.agent : 'done'));
    m.addRow(row('a'));
    m.finish();
    m.addRow(row('late'));
    expect(seen).toEqual(['b', 'a', 'done']);
    expect(m.data.rows.map((r) => r.agent)).toEqual(['a', 'b']);
    expect(m.data.summary.ok).toBe(2);
  });
});

describe('reachableUrl', () => {
  test('an unspecified host becomes the address the agent connected from', () => {
    expect(reachableUrl('https://0.0.0.0:9115', '::ffff:192.0.2.7')).toBe('https://192.0.2.7:9115');
    expect(reachableUrl('https://[::]:9115', '2001:db8::7')).toBe('https://[2001:db8::7]:9115');
    expect(reachableUrl('https://probe1.pulse.test:9115/', '192.0.2.7')).toBe('https://probe1.pulse.test:9115');
  });
});

describe('answer mode', () => {
  const req = (headers: Record<string, string>, query: Record<string, string> = {}) => ({ headers, query }) as unknown as FastifyRequest;
  test('Accept picks JSON, NDJSON or SSE (first listed wins); async by query or Prefer', () => {
    expect(answerMode(req({}))).toBe('json');
    expect(answerMode(req({ accept: '*/*' }))).toBe('json');
    expect(answerMode(req({ accept: 'application/x-ndjson' }))).toBe('ndjson');
    expect(answerMode(req({ accept: 'text/event-stream' }))).toBe('sse');
    expect(answerMode(req({ accept: 'application/json, application/x-ndjson' }))).toBe('json');
    expect(answerMode(req({ accept: 'text/event-stream, application/json' }))).toBe('sse');
    expect(answerMode(req({ accept: 'application/x-ndjson' }, { async: 'true' }))).toBe('async');
    expect(answerMode(req({ prefer: 'respond-async, wait=5' }))).toBe('async');
  });
});
