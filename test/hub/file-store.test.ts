import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileAgentStore } from '../../hub/store/file.js';
import type { AgentRecord } from '../../hub/store/types.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pulse-file-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const record = (name: string, version = '1'): AgentRecord => ({
  name,
  labels: {},
  url: 'https://127.0.0.1:1',
  version,
  protocol: 1,
  probers: ['tcp'],
  ip_versions: [4],
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-01T00:00:00.000Z',
  refused: null,
});

describe('FileAgentStore', () => {
  test('a put landing as a write finishes is still written, and close() waits for it', async () => {
    const dir = await tempDir();
    const store = new FileAgentStore(dir);
    await store.load();
    // Reach the moment between the write loop ending and the store noticing it ended.
    const inner = store as unknown as { flush(): Promise<void> };
    const flush = inner.flush.bind(store);
    let late: Promise<void> | undefined;
    inner.flush = async () => {
      await flush();
      late ??= store.put(record('late'));
    };
    await store.put(record('first'));
    await late;
    await store.close();
    const again = await new FileAgentStore(dir).load();
    expect(again.map((r) => r.name).sort()).toEqual(['first', 'late']);
  });

  test('a heartbeat that changes only last_seen is written within the heartbeat interval or at close, not at once', async () => {
    const dir = await tempDir();
    const onDisk = async () => (JSON.parse(await readFile(join(dir, 'agents.json'), 'utf8')) as { agents: AgentRecord[] }).agents;
    const store = new FileAgentStore(dir, undefined, 300);
    await store.load();
    await store.put(record('a'));
    await store.put({ ...record('a'), last_seen: '2026-01-01T00:00:05.000Z' });
    expect((await onDisk())[0]!.last_seen).toBe('2026-01-01T00:00:00.000Z');
    // Anything else is a change: written before put resolves, with the heartbeat waiting in memory.
    await store.put(record('b'));
    expect((await onDisk()).map((r) => [r.name, r.last_seen])).toEqual([
      ['a', '2026-01-01T00:00:05.000Z'],
      ['b', '2026-01-01T00:00:00.000Z'],
    ]);
    await store.put({ ...record('b'), last_seen: '2026-01-01T00:00:09.000Z' });
    const until = Date.now() + 5000;
    while ((await onDisk())[1]!.last_seen !== '2026-01-01T00:00:09.000Z' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect((await onDisk())[1]!.last_seen).toBe('2026-01-01T00:00:09.000Z');
    await store.put({ ...record('a'), last_seen: '2026-01-01T00:00:10.000Z' });
    await store.close();
    expect((await onDisk())[0]!.last_seen).toBe('2026-01-01T00:00:10.000Z');
  });

  test('a corrupt agents.json is kept aside, reported, and the hub starts with no agents', async () => {
    const dir = await tempDir();
    const broken = '{"version":1,"agents":[{"name":"a"';
    await writeFile(join(dir, 'agents.json'), broken);
    const reports: string[] = [];
    const store = new FileAgentStore(dir, (m) => reports.push(m));
    expect(await store.load()).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/agents\.json is not valid JSON .*kept it as .*agents\.json\.corrupt-/);
    const copies = (await readdir(dir)).filter((f) => f.startsWith('agents.json.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(await readFile(join(dir, copies[0]!), 'utf8')).toBe(broken);
    await store.put(record('b'));
    await store.close();
    expect((await new FileAgentStore(dir).load()).map((r) => r.name)).toEqual(['b']);
  });

  test('null, a name alone or a wrong field in agents.json is skipped with the file, index and reason; the rest loads', async () => {
    const dir = await tempDir();
    const bad = [null, { name: 'only-name' }, { ...record('bad-labels'), labels: { site: 3 } }, 'x', record('good')];
    await writeFile(join(dir, 'agents.json'), JSON.stringify({ version: 1, agents: bad }));
    const reports: string[] = [];
    const loaded = await new FileAgentStore(dir, (m) => reports.push(m)).load();
    expect(loaded.map((r) => r.name)).toEqual(['good']);
    expect(reports).toHaveLength(4);
    expect(reports[0]).toMatch(/agents\.json: agents\[0\] skipped \(not an object\)/);
    expect(reports[1]).toMatch(/agents\[1\] skipped \(agent "only-name": missing or wrong labels, url, version, first_seen, last_seen, protocol, probers, ip_versions\)/);
    expect(reports[2]).toMatch(/agents\[2\] skipped \(agent "bad-labels": missing or wrong labels\)/);
  });

  test('a registry of another version is refused by name, not discarded', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'agents.json'), '{"version":2,"agents":[]}');
    await expect(new FileAgentStore(dir).load()).rejects.toThrow(/agents\.json: not a Pulse agent registry \(version 2\)/);
  });
});
