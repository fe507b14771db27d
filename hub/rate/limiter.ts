import { randomBytes } from 'node:crypto';
import { type HubRateLimits, limitsFor } from '../../lib/config/hub-rate-limits.js';
import { PulseError } from '../../lib/errors.js';
import type { Identity } from '../auth/identity.js';
import { MemoryCounters } from '../store/memory-counters.js';
import type { CounterStore } from '../store/results.js';

const MINUTE_MS = 60_000;
/** A slot outlives its measurement's timeout by this much (ASN enrichment, storing) before it is presumed lost. */
const SLOT_GRACE_MS = 60_000;

/** A 429 that says when to come back; the hub's error handler turns `retryAfterSeconds` into Retry-After. */
export class RateLimitedError extends PulseError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('PULSE_RATE_LIMITED', message);
  }
}

/** What one request wants to start. */
export interface RunSize {
  /** Selected agents × targets (× checks for an operation). */
  agentTargets: number;
  timeoutSeconds: number;
}

/**
 * Per-identity limits (`hub.rate_limits`) on measurements and operations, counted in the hub's
 * CounterStore: in memory for one hub, in Redis for replicas sharing a fleet, so an identity gets
 * the same budget whichever replica it reaches.
 */
export class RateLimiter {
  /** Used while the shared store is unreachable: limits then hold per replica instead of not at all. */
  private readonly local: MemoryCounters;

  constructor(
    private readonly counters: CounterStore,
    private readonly settings: HubRateLimits | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new MemoryCounters(now);
  }

  /** Runs `call` on the shared store, or on this replica's counters when Redis is away (tests keep running, as they do without Redis). */
  private async counted<T>(call: (store: CounterStore) => Promise<T>): Promise<{ value: T; store: CounterStore }> {
    try {
      return { value: await call(this.counters), store: this.counters };
    } catch (err) {
      if (!(err instanceof PulseError) || err.code !== 'PULSE_STORE_UNAVAILABLE') throw err;
      return { value: await call(this.local), store: this.local };
    }
  }

  /**
   * Admits one run or throws: 400 PULSE_MEASUREMENT_TOO_LARGE, or 429 PULSE_RATE_LIMITED with a
   * retry time. Call the returned function exactly once when the run finishes (or fails to start).
   */
  async admit(identity: Identity, size: RunSize): Promise<() => void> {
    const limits = limitsFor(this.settings, identity.name);
    if (size.agentTargets > limits.agent_targets_per_measurement) {
      throw new PulseError(
        'PULSE_MEASUREMENT_TOO_LARGE',
        `${size.agentTargets} agent × target runs in one measurement, more than ${limits.agent_targets_per_measurement} allowed for ${identity.name} (hub.rate_limits.agent_targets_per_measurement): select fewer agents or targets`,
      );
    }
    // Token names and certificate CNs are different namespaces: "alice" the token is not "alice" the certificate.
    const who = `${identity.kind}:${identity.name}`;
    const slotKey = `rate:running:${who}`;
    const member = randomBytes(9).toString('base64url');
    const until = this.now() + size.timeoutSeconds * 1000 + SLOT_GRACE_MS;
    const slot = await this.counted((c) => c.acquireSlot(slotKey, member, limits.concurrent_measurements, until));
    if (!slot.value) {
      throw new RateLimitedError(
        `${identity.name} already runs ${limits.concurrent_measurements} measurements or operations, its limit (hub.rate_limits.concurrent_measurements): retry when one finishes`,
        1,
      );
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Best effort: a slot Redis could not forget expires at its deadline anyway.
      slot.store.releaseSlot(slotKey, member).catch(() => undefined);
    };
    try {
      const { value: minute } = await this.counted((c) => c.increment(`rate:minute:${who}`, MINUTE_MS));
      if (minute.count > limits.tests_per_minute) {
        throw new RateLimitedError(
          `${identity.name} started ${limits.tests_per_minute} measurements or operations this minute, its limit (hub.rate_limits.tests_per_minute)`,
          Math.max(1, Math.ceil((minute.resetAt - this.now()) / 1000)),
        );
      }
    } catch (err) {
      release();
      throw err;
    }
    return release;
  }
}
