import type { Redis } from 'ioredis';

/** How often a replica says it is alive, and how long that lasts without news. */
const PRESENCE_EVERY_MS = 1000;
const PRESENCE_TTL_MS = 5000;
/** How often the whole directory is read again (messages published while disconnected are lost). */
const REFRESH_EVERY_MS = 2000;

/** Deletes the entry only if it still names this replica: the agent may have dialled another one since. */
const RELEASE = "if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) end return 0";

export interface DirectoryLog {
  warn(obj: object, msg: string): void;
}

/**
 * Which replica holds each dial-out agent's tunnel, shared through Redis: a hash agent → replica,
 * a message on every change, and a sorted set of live replicas (each refreshes its own expiry).
 * An entry counts only while its replica is alive, so the agents of a replica killed with SIGKILL
 * turn offline everywhere within PRESENCE_TTL_MS, and at once for a call that finds nobody listening.
 */
export class TunnelDirectory {
  /** Agent → replica, for tunnels held by other live replicas (this one's are the Tunnels' own). */
  private readonly elsewhere = new Map<string, string>();
  /** Replicas found gone before their presence expired (a call nobody received). */
  private readonly gone = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly replica: string,
    /** Told when the replica holding an agent's tunnel (other than this one) changes; null: none. */
    private readonly onChange: (agent: string, replica: string | null) => void,
    private readonly log: DirectoryLog,
    /** The agents whose tunnels this replica holds: written again if Redis lost them (flushed, restarted empty). */
    private readonly local: () => Iterable<string> = () => [],
  ) {}

  get changesChannel(): string {
    return `${this.prefix}tunnels:changes`;
  }

  async start(): Promise<void> {
    await this.beat();
    await this.refresh();
    this.timers.push(setInterval(() => void this.beat(), PRESENCE_EVERY_MS).unref());
    this.timers.push(setInterval(() => void this.refresh(), REFRESH_EVERY_MS).unref());
  }

  /** The replica holding `agent`'s tunnel, when it is another live one. */
  holder(agent: string): string | undefined {
    return this.elsewhere.get(agent);
  }

  /** This replica now holds the agent's tunnel. */
  up(agent: string): void {
    this.quietly(this.redis.multi().hset(this.hash, agent, this.replica).publish(this.changesChannel, JSON.stringify({ agent, replica: this.replica })).exec());
  }

  /** This replica's tunnel for the agent closed (a newer one elsewhere is left alone). */
  down(agent: string): void {
    this.quietly(
      this.redis
        .eval(RELEASE, 1, this.hash, agent, this.replica)
        .then(() => this.redis.publish(this.changesChannel, JSON.stringify({ agent, replica: null, from: this.replica }))),
    );
  }

  /** A change message from any replica (the hub's subscriber hands them over). */
  message(text: string): void {
    const { agent, replica, from } = JSON.parse(text) as { agent: string; replica: string | null; from?: string };
    if (replica === this.replica) {
      this.set(agent, undefined);
    } else if (replica !== null) {
      this.gone.delete(replica);
      this.set(agent, replica);
    } else if (this.elsewhere.get(agent) === from) {
      this.set(agent, undefined);
    }
  }

  /** A replica that received nothing we sent it: its agents are offline until it is heard from again. */
  markGone(replica: string): void {
    if (this.gone.has(replica)) return;
    this.gone.add(replica);
    for (const [agent, r] of this.elsewhere) if (r === replica) this.set(agent, undefined);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.redis.zrem(this.replicas, this.replica).catch(() => undefined);
  }

  private get hash(): string {
    return `${this.prefix}tunnels`;
  }

  private get replicas(): string {
    return `${this.prefix}replicas`;
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    await this.quietly(this.redis.multi().zadd(this.replicas, now + PRESENCE_TTL_MS, this.replica).zremrangebyscore(this.replicas, '-inf', now).exec());
  }

  /** Reads the whole directory and the live replicas, and applies the difference. */
  private async refresh(): Promise<void> {
    let all: Record<string, string>;
    let live: Set<string>;
    try {
      const res = await this.redis.multi().hgetall(this.hash).zrangebyscore(this.replicas, Date.now(), '+inf').exec();
      all = (res?.[0]?.[1] ?? {}) as Record<string, string>;
      live = new Set((res?.[1]?.[1] ?? []) as string[]);
      this.warned = false;
    } catch (err) {
      // Redis away: routing keeps what it knew; calls to other replicas fail as unreachable meanwhile.
      if (!this.warned) this.log.warn({ err: (err as Error).message }, 'tunnel directory: Redis unavailable, routing from the last known state');
      this.warned = true;
      return;
    }
    for (const agent of this.local()) if (all[agent] === undefined) this.up(agent);
    for (const g of this.gone) if (!live.has(g)) this.gone.delete(g);
    const next = new Map<string, string>();
    for (const [agent, replica] of Object.entries(all)) {
      if (replica !== this.replica && live.has(replica) && !this.gone.has(replica)) next.set(agent, replica);
    }
    for (const agent of this.elsewhere.keys()) if (!next.has(agent)) this.set(agent, undefined);
    for (const [agent, replica] of next) this.set(agent, replica);
  }

  private set(agent: string, replica: string | undefined): void {
    if (this.elsewhere.get(agent) === replica) return;
    if (replica === undefined) this.elsewhere.delete(agent);
    else this.elsewhere.set(agent, replica);
    this.onChange(agent, replica ?? null);
  }

  private async quietly(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (!this.warned) this.log.warn({ err: (err as Error).message }, 'tunnel directory: Redis unavailable');
      this.warned = true;
    }
  }
}
