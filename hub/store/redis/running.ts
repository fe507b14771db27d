import type { Redis } from 'ioredis';
import { pulseVersion } from '../../../lib/version.js';
import { DEADLINE_MARGIN_MS } from '../../fanout.js';
import { LiveMeasurement } from '../../live.js';
import { emptySummary, type Measurement, type Row } from '../../measurement.js';
import { RECORD_FORMAT, StoreFormatError } from '../results.js';
import { guarded } from './client.js';

/** How long a running measurement's keys outlive its deadline (a replica killed before it finished). */
const LINGER_MS = 60_000;
/** How long they stay after it finished: a reader that just missed the stored record still finds it here. */
const AFTER_DONE_MS = 30_000;

type Header = Omit<Measurement, 'rows' | 'summary'>;

interface HeaderRecord {
  format: number;
  pulse: string;
  header: Header;
  /** Epoch ms after which no more rows can come. */
  deadline: number;
}

/** What a follower receives: rows from index `from` on, or the end. */
type RunMessage = { from: number; rows: Row[] } | { done: true };

/**
 * Running measurements shared by every replica: the replica that runs one writes its header and
 * each row as it arrives (a Redis list) and publishes the rows; another replica answers a GET for
 * it from the list and follows the channel for a stream. Finished ones are in the result store.
 */
export class SharedRuns {
  private subscriber: Redis | undefined;
  private readonly followers = new Map<string, Set<(m: RunMessage) => void>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly where: string,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /** Publishes a measurement this replica runs, row batch by row batch, until it is done. */
  share(live: LiveMeasurement): void {
    const m = live.data;
    const deadline = Date.parse(m.created_at) + m.timeout * 1000 + DEADLINE_MARGIN_MS;
    const ttl = deadline + LINGER_MS - Date.now();
    const { rows: _rows, summary: _summary, ...header } = m;
    const head: HeaderRecord = { format: RECORD_FORMAT, pulse: pulseVersion(), header, deadline };
    const failed = (err: unknown) => this.log.warn({ measurement: m.id, err: (err as Error).message }, 'sharing a running measurement through Redis failed');
    let written = 0;
    let batch: Row[] = [];
    // Writes in order on one connection: the header, each batch, then the end.
    let chain: Promise<unknown> = this.redis.set(this.key(m.id), JSON.stringify(head), 'PX', Math.max(1, Math.floor(ttl))).catch(failed);
    const flush = () => {
      const rows = batch;
      batch = [];
      const from = written;
      written += rows.length;
      // Each row is made JSON once: the list holds the texts, the message is built from them.
      const texts = rows.map((r) => JSON.stringify(r));
      const msg = `{"from":${from},"rows":[${texts.join(',')}]}`;
      chain = chain.then(() =>
        this.redis
          .multi()
          .rpush(this.key(m.id, 'rows'), ...texts)
          .pexpire(this.key(m.id, 'rows'), Math.max(1, Math.floor(deadline + LINGER_MS - Date.now())))
          .publish(this.key(m.id), msg)
          .exec()
          .catch(failed),
      );
    };
    live.subscribe((ev) => {
      if (ev.kind === 'row') {
        // Rows arriving in the same turn of the event loop go in one round trip.
        if (batch.length === 0) setImmediate(flush);
        batch.push(ev.row);
        return;
      }
      if (batch.length > 0) flush();
      chain = chain.then(() =>
        this.redis
          .multi()
          .publish(this.key(m.id), JSON.stringify({ done: true } satisfies RunMessage))
          .pexpire(this.key(m.id), AFTER_DONE_MS)
          .pexpire(this.key(m.id, 'rows'), AFTER_DONE_MS)
          .exec()
          .catch(failed),
      );
    });
  }

  /** A measurement running on another replica, as it stands now (undefined: none such). */
  async snapshot(id: string): Promise<Measurement | undefined> {
    const got = await this.read(id);
    if (!got) return undefined;
    const summary = emptySummary();
    for (const r of got.rows) summary[r.status]++;
    return { ...got.head.header, summary, rows: got.rows };
  }

  /** Follows a measurement running on another replica: its rows so far, then each as it arrives. */
  async follow(id: string): Promise<LiveMeasurement | undefined> {
    const channel = this.key(id);
    const queued: RunMessage[] = [];
    let deliver: (m: RunMessage) => void = (m) => queued.push(m);
    const listener = (m: RunMessage) => deliver(m);
    await this.listen(channel, listener);
    let got: Awaited<ReturnType<SharedRuns['read']>>;
    try {
      got = await this.read(id);
    } catch (err) {
      await this.unlisten(channel, listener);
      throw err;
    }
    if (!got) {
      await this.unlisten(channel, listener);
      return undefined;
    }
    const { header } = got.head;
    const live = new LiveMeasurement({ id: header.id, type: header.type, target: header.target, options: header.options, agents: header.agents, created_at: header.created_at, timeout: header.timeout });
    for (const r of got.rows) live.addRow(r);
    let have = got.rows.length;
    // The runner died before finishing: end the stream at its deadline with what came.
    const timer = setTimeout(() => end(), Math.max(0, got.head.deadline + DEADLINE_MARGIN_MS - Date.now()));
    timer.unref();
    const end = () => {
      clearTimeout(timer);
      void this.unlisten(channel, listener);
      live.finish();
    };
    deliver = (m) => {
      if ('done' in m) return end();
      m.rows.forEach((r, k) => {
        if (m.from + k < have) return;
        live.addRow(r);
        have++;
      });
    };
    for (const m of queued.splice(0)) deliver(m);
    if (got.head.header.status === 'done') end();
    return live;
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private async read(id: string): Promise<{ head: HeaderRecord; rows: Row[] } | undefined> {
    return guarded(this.where, async () => {
      const res = await this.redis.multi().get(this.key(id)).lrange(this.key(id, 'rows'), 0, -1).exec();
      const text = res?.[0]?.[1] as string | null;
      if (!text) return undefined;
      const head = JSON.parse(text) as HeaderRecord;
      if (head.format !== RECORD_FORMAT) {
        throw new StoreFormatError(
          `running measurement ${id.slice(0, 64)} in ${this.where}: record format ${String(head.format)} written by Pulse ${String(head.pulse)}; this hub (Pulse ${pulseVersion()}) reads format ${RECORD_FORMAT} only`,
        );
      }
      return { head, rows: ((res?.[1]?.[1] ?? []) as string[]).map((r) => JSON.parse(r) as Row) };
    });
  }

  private async listen(channel: string, fn: (m: RunMessage) => void): Promise<void> {
    if (!this.subscriber) {
      const sub = this.redis.duplicate({ enableOfflineQueue: true });
      sub.on('error', () => undefined);
      sub.on('message', (ch: string, text: string) => {
        const fns = this.followers.get(ch);
        if (!fns) return;
        const msg = JSON.parse(text) as RunMessage;
        for (const f of fns) f(msg);
      });
      this.subscriber = sub;
    }
    let fns = this.followers.get(channel);
    if (!fns) {
      fns = new Set();
      this.followers.set(channel, fns);
      await guarded(this.where, () => this.subscriber!.subscribe(channel));
    }
    fns.add(fn);
  }

  private async unlisten(channel: string, fn: (m: RunMessage) => void): Promise<void> {
    const fns = this.followers.get(channel);
    if (!fns) return;
    fns.delete(fn);
    if (fns.size > 0) return;
    this.followers.delete(channel);
    await this.subscriber?.unsubscribe(channel).catch(() => undefined);
  }

  private key(id: string, part?: string): string {
    return `${this.prefix}run:${id}${part ? `:${part}` : ''}`;
  }
}
