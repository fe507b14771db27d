import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pulseVersion } from '../../lib/version.js';
import type { Measurement } from '../measurement.js';
import type { Operation } from '../operations/operation.js';
import { encodeFrame, FRAME_HEADER } from './frame.js';
import { HistoryIndex, indexEntry } from './history-index.js';
import { MemoryCounters } from './memory-counters.js';
import { checkRecord, type CounterStore, type HistoryPage, type HistoryQuery, RECORD_FORMAT, type ResultStore, type StoredRecord } from './results.js';
import { listSegments, readAt, readSegment, segmentName } from './segments.js';

export interface EmbeddedOptions {
  /** The hub's data_dir; records go to DIR/results/. */
  dataDir: string;
  retentionMs: number;
  /** A segment is closed (and a new one started) past this size or age. */
  segmentMaxBytes?: number;
  segmentMaxAgeMs?: number;
  now?: () => number;
  /** Told about damaged files that were repaired; names the file. */
  warn?: (message: string) => void;
}

interface Located {
  kind: StoredRecord['kind'];
  segment: string;
  offset: number;
  length: number;
  at: number;
}

interface Segment {
  name: string;
  size: number;
  /** The newest created_at in it: the whole segment goes when that is past retention. */
  newest: number;
}

interface Pending {
  frame: Buffer;
  rec: StoredRecord;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Finished measurements and operations in an append-only log under data_dir/results/: one
 * length- and CRC-framed JSON record each, written in batches with one fdatasync per batch, in
 * segments that are deleted whole once everything in them is past retention (the log's only
 * compaction: records are never updated, so nothing else needs rewriting). A SIGKILL mid-write
 * leaves a torn last record, which the next start cuts off with a warning naming the file.
 *
 * Why not SQLite: Node 20 has no node:sqlite, and better-sqlite3 downloads a prebuilt binary or
 * compiles with node-gyp at install time; results are written once and read by id or by time,
 * which a log plus an in-memory index serves without either.
 */
export class EmbeddedResultStore implements ResultStore, CounterStore {
  readonly dir: string;
  private readonly located = new Map<string, Located>();
  private readonly index = new HistoryIndex();
  private readonly segments: Segment[] = [];
  private readonly counters: MemoryCounters;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private current: { seg: Segment; fh: FileHandle; startedAt: number } | undefined;
  private pending: Pending[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: EmbeddedOptions) {
    this.dir = join(opts.dataDir, 'results');
    this.now = opts.now ?? Date.now;
    this.warn = opts.warn ?? ((m) => process.emitWarning(m, 'PulseStoreWarning'));
    this.maxBytes = opts.segmentMaxBytes ?? 64 * 1024 * 1024;
    // About seven segments over the retention: expired results go within a seventh of it.
    this.maxAgeMs = opts.segmentMaxAgeMs ?? Math.max(opts.retentionMs / 7, 60_000);
    this.counters = new MemoryCounters(this.now);
  }

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    for (const name of await listSegments(this.dir)) {
      const file = join(this.dir, name);
      const { frames, size } = await readSegment(file, this.warn);
      const seg: Segment = { name, size, newest: 0 };
      for (const f of frames) {
        const rec = checkRecord(JSON.parse(f.payload.toString('utf8')), `${file} at byte ${f.offset}`, pulseVersion());
        this.learn(rec, seg, f.offset, FRAME_HEADER + f.payload.length);
      }
      this.segments.push(seg);
    }
    await this.prune();
    const every = Math.min(Math.max(this.maxAgeMs / 4, 1000), 3_600_000);
    this.timer = setInterval(() => {
      this.prune().catch((err: unknown) => this.warn(`${this.dir}: removing expired results failed: ${(err as Error).message}`));
    }, every);
    this.timer.unref();
  }

  putMeasurement(m: Measurement): Promise<void> {
    return this.append({ format: RECORD_FORMAT, pulse: pulseVersion(), kind: 'measurement', data: m });
  }

  putOperation(op: Operation): Promise<void> {
    return this.append({ format: RECORD_FORMAT, pulse: pulseVersion(), kind: 'operation', data: op });
  }

  async getMeasurement(id: string): Promise<Measurement | undefined> {
    const rec = await this.read(id, 'measurement');
    return rec?.kind === 'measurement' ? rec.data : undefined;
  }

  async getOperation(handle: string): Promise<Operation | undefined> {
    const rec = await this.read(handle, 'operation');
    return rec?.kind === 'operation' ? rec.data : undefined;
  }

  async history(q: HistoryQuery): Promise<HistoryPage> {
    const oldest = this.now() - this.opts.retentionMs;
    return this.index.query({ ...q, since: Math.max(q.since ?? oldest, oldest) });
  }

  increment(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    return this.counters.increment(key, windowMs);
  }

  acquireSlot(key: string, member: string, max: number, untilMs: number): Promise<boolean> {
    return this.counters.acquireSlot(key, member, max, untilMs);
  }

  releaseSlot(key: string, member: string): Promise<void> {
    return this.counters.releaseSlot(key, member);
  }

  /** Writes what is queued, then closes the log. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    while (this.writing) await this.writing;
    await this.current?.fh.close();
    this.current = undefined;
  }

  private append(rec: StoredRecord): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.dir}: store is closed`));
    const frame = encodeFrame(Buffer.from(JSON.stringify(rec)));
    return new Promise((resolve, reject) => {
      this.pending.push({ frame, rec, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** One write and one fdatasync for everything queued meanwhile: a batch, not a sync per record. */
  private async drain(): Promise<void> {
    for (;;) {
      // Cleared in the same tick that finds nothing queued: a put landing later starts a new drain.
      if (this.pending.length === 0) {
        this.writing = undefined;
        return;
      }
      const batch = this.pending;
      this.pending = [];
      try {
        const cur = await this.segmentForWrite();
        const start = cur.seg.size;
        await cur.fh.write(Buffer.concat(batch.map((p) => p.frame)), 0, undefined, start);
        await cur.fh.datasync();
        let at = start;
        for (const p of batch) {
          this.learn(p.rec, cur.seg, at, p.frame.length);
          at += p.frame.length;
        }
        cur.seg.size = at;
        for (const p of batch) p.resolve();
      } catch (err) {
        // The segment may now end in a torn record: start a fresh one rather than append after it.
        await this.current?.fh.close().catch(() => undefined);
        this.current = undefined;
        for (const p of batch) p.reject(err);
      }
    }
  }

  private async segmentForWrite(): Promise<NonNullable<EmbeddedResultStore['current']>> {
    const t = this.now();
    const cur = this.current;
    if (cur && cur.seg.size < this.maxBytes && t - cur.startedAt < this.maxAgeMs) return cur;
    await cur?.fh.close();
    // A name per start time; a second segment in the same millisecond takes the next one.
    let startedAt = t;
    while (this.segments.some((s) => s.name === segmentName(startedAt))) startedAt++;
    const seg: Segment = { name: segmentName(startedAt), size: 0, newest: 0 };
    const fh = await open(join(this.dir, seg.name), 'wx', 0o600);
    this.segments.push(seg);
    this.current = { seg, fh, startedAt };
    return this.current;
  }

  private learn(rec: StoredRecord, seg: Segment, offset: number, length: number): void {
    const id = rec.kind === 'measurement' ? rec.data.id : rec.data.handle;
    const at = Date.parse(rec.data.created_at);
    seg.newest = Math.max(seg.newest, at);
    this.located.set(id, { kind: rec.kind, segment: seg.name, offset, length, at });
    if (rec.kind === 'measurement') this.index.add(indexEntry(rec.data));
  }

  private async read(id: string, kind: StoredRecord['kind']): Promise<StoredRecord | undefined> {
    const loc = this.located.get(id);
    if (!loc || loc.kind !== kind || loc.at < this.now() - this.opts.retentionMs) return undefined;
    const file = join(this.dir, loc.segment);
    const buf = await readAt(file, loc.offset + FRAME_HEADER, loc.length - FRAME_HEADER);
    return buf ? checkRecord(JSON.parse(buf.toString('utf8')), `${file} at byte ${loc.offset}`, pulseVersion()) : undefined;
  }

  /** Deletes segments whose newest record is past retention (never the one being written). */
  private async prune(): Promise<void> {
    const oldest = this.now() - this.opts.retentionMs;
    this.index.dropBefore(oldest);
    for (const seg of [...this.segments]) {
      if (seg.newest >= oldest || seg === this.current?.seg) continue;
      await rm(join(this.dir, seg.name), { force: true });
      this.segments.splice(this.segments.indexOf(seg), 1);
      for (const [id, loc] of this.located) if (loc.segment === seg.name) this.located.delete(id);
    }
  }
}
