import { randomBytes } from 'node:crypto';
import type { LiveMeasurement } from './live.js';

/**
 * 128 random bits, URL-safe: handles cannot be guessed from other handles. Never with a leading
 * "-": `pulse get -Xy…` would read the id as an option and exit 2 (one id in 64 did).
 */
export function newMeasurementId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** What the store keeps: anything with an id that finishes (measurements, host-check operations). */
export interface Kept {
  readonly data: { readonly id: string };
  readonly done: Promise<unknown>;
}

/**
 * Measurements kept in memory for `ttlMs` after they finish, at most `max` of them (the oldest go
 * first). A hub restart forgets them: their handles then answer 404.
 */
export class MeasurementStore<T extends Kept = LiveMeasurement> {
  private readonly items = new Map<string, { live: T; expires: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = Date.now,
    /** Called once each one finishes: the hub writes it to its result store there. */
    private readonly onFinished?: (live: T) => void,
    /** Called as each one starts: with Redis, other replicas can read and stream it while it runs. */
    private readonly onAdded?: (live: T) => void,
  ) {
    this.timer = setInterval(() => this.prune(), Math.min(Math.max(ttlMs / 4, 1000), 60_000));
    this.timer.unref();
  }

  add(live: T): void {
    this.items.set(live.data.id, { live, expires: Number.POSITIVE_INFINITY });
    this.onAdded?.(live);
    live.done.then(() => {
      const item = this.items.get(live.data.id);
      if (item) item.expires = this.now() + this.ttlMs;
      this.onFinished?.(live);
    });
    this.prune();
  }

  get(id: string): T | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    if (item.expires <= this.now()) {
      this.items.delete(id);
      return undefined;
    }
    return item.live;
  }

  get size(): number {
    return this.items.size;
  }

  private prune(): void {
    const t = this.now();
    for (const [id, item] of this.items) if (item.expires <= t) this.items.delete(id);
    // Map order is insertion order: the first entries are the oldest. A running one is never
    // evicted (its requester may still poll it); hub.max_running_measurements bounds those.
    for (const [id, item] of this.items) {
      if (this.items.size <= this.max) break;
      if (item.expires !== Number.POSITIVE_INFINITY) this.items.delete(id);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
