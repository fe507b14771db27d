import type { Redis } from 'ioredis';
import { pulseVersion } from '../../../lib/version.js';
import type { Measurement } from '../../measurement.js';
import type { Operation } from '../../operations/operation.js';
import { decodeCursor, HistoryIndex, type IndexedMeasurement, indexEntry } from '../history-index.js';
import { checkRecord, type CounterStore, type HistoryPage, type HistoryQuery, RECORD_FORMAT, type ResultStore, type StoredRecord } from '../results.js';
import { guarded } from './client.js';

/** Measurements read per round trip while paging through history. */
const CHUNK = 500;

/**
 * Results shared by every replica: each record under its own key with the retention as its
 * expiry, a sorted set of measurement ids by created_at for history, and a compact copy of each
 * measurement's rows (no agent results) so a history page never loads whole measurements.
 */
/**
 * KEYS[1] the set; ARGV now, max, until, member. Drops members past their deadline, adds this one
 * if there is room, and keeps the key until its last member's deadline (then Redis forgets it).
 */
const ACQUIRE_SLOT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 1
`;

export class RedisResultStore implements ResultStore, CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retentionMs: number,
    private readonly where: string,
    private readonly now: () => number = Date.now,
    /** Closes the connection this store shares with the registry's; closed last by the hub. */
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async open(): Promise<void> {}

  putMeasurement(m: Measurement): Promise<void> {
    const at = Date.parse(m.created_at);
    const ttl = this.ttl(at);
    if (ttl <= 0) return Promise.resolve();
    const rec: StoredRecord = { format: RECORD_FORMAT, pulse: pulseVersion(), kind: 'measurement', data: m };
    const idx = { format: RECORD_FORMAT, pulse: pulseVersion(), entry: indexEntry(m) };
    return guarded(this.where, async () => {
      await this.redis
        .multi()
        .set(this.key('m', m.id), JSON.stringify(rec), 'PX', ttl)
        .set(this.key('mi', m.id), JSON.stringify(idx), 'PX', ttl)
        .zadd(this.key('history'), at, m.id)
        .zremrangebyscore(this.key('history'), '-inf', this.now() - this.retentionMs)
        .exec();
    });
  }

  async getMeasurement(id: string): Promise<Measurement | undefined> {
    const rec = await this.read(this.key('m', id));
    return rec?.kind === 'measurement' ? rec.data : undefined;
  }

  putOperation(op: Operation): Promise<void> {
    const ttl = this.ttl(Date.parse(op.created_at));
    if (ttl <= 0) return Promise.resolve();
    const rec: StoredRecord = { format: RECORD_FORMAT, pulse: pulseVersion(), kind: 'operation', data: op };
    return guarded(this.where, async () => {
      await this.redis.set(this.key('op', op.handle), JSON.stringify(rec), 'PX', ttl);
    });
  }

  async getOperation(handle: string): Promise<Operation | undefined> {
    const rec = await this.read(this.key('op', handle));
    return rec?.kind === 'operation' ? rec.data : undefined;
  }

  /** Walks the sorted set from `until` (or the cursor) down, a chunk of measurements at a time. */
  history(q: HistoryQuery): Promise<HistoryPage> {
    return guarded(this.where, async () => {
      const oldest = Math.max(q.since ?? 0, this.now() - this.retentionMs);
      // A bad cursor is refused (by the index's own check) before any round trip.
      const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      if (q.cursor !== undefined && !cursor) new HistoryIndex().query(q);
      const max = Math.min(q.until ?? Number.POSITIVE_INFINITY, cursor?.[0] ?? Number.POSITIVE_INFINITY);
      const rows: HistoryPage['rows'] = [];
      let offset = 0;
      for (;;) {
        const ids = await this.redis.zrevrangebyscore(this.key('history'), max, oldest, 'LIMIT', offset, CHUNK);
        if (ids.length === 0) return { rows, next: null };
        offset += ids.length;
        const chunk = new HistoryIndex();
        const raw = await this.redis.mget(ids.map((id) => this.key('mi', id)));
        raw.forEach((text, i) => {
          if (text === null) return;
          const parsed = JSON.parse(text) as { format: number; pulse: string; entry: IndexedMeasurement };
          checkRecord({ ...parsed, kind: 'measurement', data: {} }, `Redis key ${this.key('mi', ids[i]!)}`, pulseVersion());
          chunk.add(parsed.entry);
        });
        const page = chunk.query({ ...q, limit: q.limit - rows.length });
        rows.push(...page.rows);
        if (rows.length >= q.limit) return { rows, next: page.next };
        if (ids.length < CHUNK) return { rows, next: null };
      }
    });
  }

  /** One counter per key, expiring `windowMs` after its first count; atomic across replicas. */
  increment(key: string, windowMs: number): Promise<{ count: number; resetAt: number }> {
    return guarded(this.where, async () => {
      const k = this.key('count', key);
      const res = await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
      const count = Number(res?.[0]?.[1]);
      const ttl = Number(res?.[2]?.[1]);
      return { count, resetAt: this.now() + Math.max(ttl, 0) };
    });
  }

  /** A sorted set of members scored by their deadline; the check and the add run as one script. */
  acquireSlot(key: string, member: string, max: number, untilMs: number): Promise<boolean> {
    return guarded(this.where, async () => {
      const ok = await this.redis.eval(ACQUIRE_SLOT, 1, this.key('slots', key), String(this.now()), String(max), String(untilMs), member);
      return ok === 1;
    });
  }

  releaseSlot(key: string, member: string): Promise<void> {
    return guarded(this.where, async () => {
      await this.redis.zrem(this.key('slots', key), member);
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private ttl(at: number): number {
    return Math.floor(at + this.retentionMs - this.now());
  }

  private key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  private read(key: string): Promise<StoredRecord | undefined> {
    return guarded(this.where, async () => {
      const text = await this.redis.get(key);
      return text === null ? undefined : checkRecord(JSON.parse(text), `Redis key ${key}`, pulseVersion());
    });
  }
}
