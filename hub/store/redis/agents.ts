import type { Redis } from 'ioredis';
import { pulseVersion } from '../../../lib/version.js';
import { RECORD_FORMAT, StoreFormatError } from '../results.js';
import type { AgentChanges, AgentRecord, AgentStore } from '../types.js';
import { agentRecordProblem } from '../agent-record.js';
import { guarded } from './client.js';

interface Envelope {
  format: number;
  pulse: string;
  record: AgentRecord;
}

/**
 * The registry in one Redis hash, shared by every replica. Each change is also published, so
 * every replica's registry follows the others live; a replica whose subscription drops reloads
 * the whole hash when it is back (messages published meanwhile are lost, the hash is not).
 */
export class RedisAgentStore implements AgentStore {
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly where: string,
    /** Told about records this hub refuses (another store format); they are skipped, not guessed at. */
    private readonly warn: (message: string) => void,
  ) {}

  load(): Promise<AgentRecord[]> {
    return guarded(this.where, async () => {
      const all = await this.redis.hgetall(this.hash);
      return Object.entries(all).flatMap(([name, text]) => {
        const rec = this.unwrap(name, text);
        return rec ? [rec] : [];
      });
    });
  }

  put(record: AgentRecord): Promise<void> {
    const text = JSON.stringify({ format: RECORD_FORMAT, pulse: pulseVersion(), record } satisfies Envelope);
    return guarded(this.where, async () => {
      await this.redis.multi().hset(this.hash, record.name, text).publish(this.channel, JSON.stringify({ name: record.name, text })).exec();
    });
  }

  remove(name: string): Promise<void> {
    return guarded(this.where, async () => {
      await this.redis.multi().hdel(this.hash, name).publish(this.channel, JSON.stringify({ name, text: null })).exec();
    });
  }

  async watch(changes: AgentChanges): Promise<void> {
    const sub = this.redis.duplicate({ enableOfflineQueue: true });
    sub.on('error', () => undefined);
    this.subscriber = sub;
    let first = true;
    sub.on('ready', () => {
      // Every (re)subscription after the first may have missed changes: take the whole hash again.
      if (!first) this.load().then(changes.reload, (err: unknown) => this.warn(`reloading agents from ${this.where} failed: ${(err as Error).message}`));
      first = false;
    });
    sub.on('message', (_channel: string, message: string) => {
      const { name, text } = JSON.parse(message) as { name: string; text: string | null };
      if (text === null) return changes.changed(name, null);
      const rec = this.unwrap(name, text);
      if (rec) changes.changed(name, rec);
    });
    await sub.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }

  private get hash(): string {
    return `${this.prefix}agents`;
  }

  private get channel(): string {
    return `${this.prefix}agents:changes`;
  }

  private unwrap(name: string, text: string): AgentRecord | undefined {
    const env = JSON.parse(text) as Partial<Envelope>;
    if (env.format !== RECORD_FORMAT || !env.record) {
      this.warn(
        new StoreFormatError(
          `agent "${name}" in ${this.where} has record format ${String(env.format)} written by Pulse ${String(env.pulse)}; this hub (Pulse ${pulseVersion()}) reads format ${RECORD_FORMAT} only: ignored`,
        ).message,
      );
      return undefined;
    }
    const problem = agentRecordProblem(env.record);
    if (problem) {
      this.warn(`agent "${name}" in ${this.where}: ${problem}: ignored until it registers again`);
      return undefined;
    }
    return env.record;
  }
}
