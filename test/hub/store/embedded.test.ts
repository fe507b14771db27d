import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { EmbeddedResultStore, type EmbeddedOptions } from '../../../hub/store/embedded.js';
import { encodeFrame } from '../../../hub/store/frame.js';
import { measurement, operation } from './results-fixture.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const dirs: string[] = [];
const open: EmbeddedResultStore[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'p14-embedded-'));
  dirs.push(d);
  return d;
}

async function openStore(dataDir: string, extra: Partial<EmbeddedOptions> = {}): Promise<{ store: EmbeddedResultStore; warnings: string[] }> {
  const warnings: string[] = [];
  const store = new EmbeddedResultStore({ dataDir, retentionMs: 7 * DAY, now: () => T0 + DAY, warn: (m) => warnings.push(m), ...extra });
  await store.open();
  open.push(store);
  return { store, warnings };
}

async function reopen(store: EmbeddedResultStore, dataDir: string, extra: Partial<EmbeddedOptions> = {}) {
  await store.close();
  open.splice(open.indexOf(store), 1);
  return openStore(dataDir, extra);
}

/** Writes one measurement, closes the store and returns the segment file it went to. */
async function oneClosedSegment(dir: string): Promise<string> {
  const { store } = await openStore(dir);
  await store.putMeasurement(measurement({ at: T0 }));
  const [file] = await segmentFiles(dir);
  await store.close();
  open.splice(0);
  return file!;
}

async function segmentFiles(dataDir: string): Promise<string[]> {
  return (await readdir(join(dataDir, 'results'))).filter((n) => n.endsWith('.log')).map((n) => join(dataDir, 'results', n));
}

describe('EmbeddedResultStore', () => {
  test('measurements and operations written before a close are there after a reopen, in full', async () => {
    const dir = await tempDir();
    const { store } = await openStore(dir);
    const m = measurement({ at: T0, agents: ['ams', 'fra', 'nyc'] });
    await store.putMeasurement(m);
    await store.putOperation(operation('op_abc', T0));
    const { store: again } = await reopen(store, dir);
    expect(await again.getMeasurement(m.id)).toEqual(m);
    expect((await again.getOperation('op_abc'))?.handle).toBe('op_abc');
    expect(await again.getMeasurement('op_abc')).toBeUndefined();
    expect(await again.getMeasurement('nope')).toBeUndefined();
    const page = await again.history({ limit: 10 });
    expect(page.rows.map((r) => r.agent)).toEqual(['nyc', 'fra', 'ams']);
    expect(page.rows[1]).toMatchObject({ measurement: m.id, type: 'tcp', target: 'example.org', status: 'failed', reason: 'connection refused' });
    expect(page.rows[0]).not.toHaveProperty('result');
  });

  test('writes queued together share one batch, and each resolves once it is on disk', async () => {
    const dir = await tempDir();
    const { store } = await openStore(dir);
    const many = Array.from({ length: 50 }, (_, i) => measurement({ at: T0 + i }));
    await Promise.all(many.map((m) => store.putMeasurement(m)));
    const files = await segmentFiles(dir);
    expect(files).toHaveLength(1);
    const text = await readFile(files[0]!, 'utf8');
    for (const m of many) expect(text).toContain(m.id);
  });

  test('history filters by type, target, agent and time, newest first, and pages with a cursor', async () => {
    const dir = await tempDir();
    const { store } = await openStore(dir);
    for (let i = 0; i < 10; i++) {
      await store.putMeasurement(measurement({ at: T0 + i * 1000, id: `m${i}`, type: i % 2 ? 'dns' : 'tcp', target: i < 5 ? 'a.example' : 'b.example' }));
    }
    const tcpAms = await store.history({ type: 'tcp', agent: 'ams', limit: 100 });
    expect(tcpAms.rows.map((r) => r.measurement)).toEqual(['m8', 'm6', 'm4', 'm2', 'm0']);
    const b = await store.history({ target: 'b.example', agent: 'fra', since: T0 + 6000, until: T0 + 8000, limit: 100 });
    expect(b.rows.map((r) => r.measurement)).toEqual(['m8', 'm7', 'm6']);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await store.history({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.rows.map((r) => `${r.measurement}/${r.agent}`));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(seen[0]).toBe('m9/fra');
    await expect(store.history({ limit: 3, cursor: 'garbage' })).rejects.toMatchObject({ code: 'PULSE_BAD_REQUEST' });
  });

  test('results past retention are gone from reads and history, and their segments are deleted', async () => {
    const dir = await tempDir();
    let now = T0;
    const { store } = await openStore(dir, { now: () => now, retentionMs: 2 * DAY, segmentMaxAgeMs: DAY / 2 });
    const old = measurement({ at: T0 });
    await store.putMeasurement(old);
    now = T0 + DAY;
    const fresh = measurement({ at: now });
    await store.putMeasurement(fresh);
    expect(await segmentFiles(dir)).toHaveLength(2);

    now = T0 + 2 * DAY + 1;
    expect(await store.getMeasurement(old.id)).toBeUndefined();
    expect((await store.history({ limit: 10 })).rows.every((r) => r.measurement === fresh.id)).toBe(true);
    // On the next start (or the next sweep) the expired segment goes from disk.
    const { store: again } = await reopen(store, dir, { now: () => now, retentionMs: 2 * DAY, segmentMaxAgeMs: DAY / 2 });
    expect(await segmentFiles(dir)).toHaveLength(1);
    expect(await again.getMeasurement(fresh.id)).toEqual(fresh);
  });

  test('a torn last record (a crash mid-write) is cut with a warning naming the file; earlier records and later writes survive', async () => {
    const dir = await tempDir();
    const { store } = await openStore(dir);
    const kept = measurement({ at: T0 });
    await store.putMeasurement(kept);
    await store.close();
    open.splice(0);
    const [file] = await segmentFiles(dir);
    const whole = encodeFrame(Buffer.from(JSON.stringify({ format: 1, pulse: 'x', kind: 'measurement', data: measurement({ at: T0 + 1 }) })));
    await appendFile(file!, whole.subarray(0, whole.length - 7));
    const sizeBefore = (await stat(file!)).size;

    const { store: again, warnings } = await openStore(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file!);
    expect(warnings[0]).toMatch(/torn record/);
    expect(await again.getMeasurement(kept.id)).toEqual(kept);
    expect((await stat(file!)).size).toBeLessThan(sizeBefore);
    const after = measurement({ at: T0 + 2 });
    await again.putMeasurement(after);
    const { store: third, warnings: none } = await reopen(again, dir);
    expect(none).toEqual([]);
    expect(await third.getMeasurement(after.id)).toEqual(after);
    expect((await readdir(join(dir, 'results'))).some((n) => n.includes('.corrupt-'))).toBe(true);
  });

  test('a damaged byte in a record is caught by its checksum: the file is repaired from there, not trusted', async () => {
    const dir = await tempDir();
    const { store } = await openStore(dir);
    const first = measurement({ at: T0 });
    const second = measurement({ at: T0 + 1 });
    await store.putMeasurement(first);
    await store.putMeasurement(second);
    await store.close();
    open.splice(0);
    const [file] = await segmentFiles(dir);
    const buf = await readFile(file!);
    const at = buf.indexOf(second.id);
    buf[at] = buf[at]! ^ 0xff;
    await writeFile(file!, buf);
    const { store: again, warnings } = await openStore(dir);
    expect(warnings[0]).toContain(file!);
    expect(warnings[0]).toMatch(/checksum mismatch/);
    expect(await again.getMeasurement(first.id)).toEqual(first);
    expect(await again.getMeasurement(second.id)).toBeUndefined();
  });

  test('an empty segment (killed right after creating it) is no damage', async () => {
    const dir = await tempDir();
    const file = await oneClosedSegment(dir);
    await truncate(file, 0);
    const { warnings } = await openStore(dir);
    expect(warnings).toEqual([]);
  });

  test('a record written by another store format is refused by name, not guessed at', async () => {
    const dir = await tempDir();
    const file = await oneClosedSegment(dir);
    await appendFile(file, encodeFrame(Buffer.from(JSON.stringify({ format: 99, pulse: '9.0.0', kind: 'measurement', data: {} }))));
    const later = new EmbeddedResultStore({ dataDir: dir, retentionMs: DAY, warn: () => undefined });
    await expect(later.open()).rejects.toThrow(/record format 99 written by Pulse 9\.0\.0; this hub \(Pulse .*\) reads format 1 only/);
  });

  test('counters count within their window and start again after it', async () => {
    let now = T0;
    const { store } = await openStore(await tempDir(), { now: () => now });
    expect((await store.increment('k', 1000)).count).toBe(1);
    expect(await store.increment('k', 1000)).toEqual({ count: 2, resetAt: T0 + 1000 });
    now += 1001;
    expect((await store.increment('k', 1000)).count).toBe(1);
  });
});
