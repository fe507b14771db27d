/**
 * Deadlines shared by every call that started within the same `stepMs`: one AbortController and
 * one timer per step instead of one per call. A relayed scrape that built its own AbortController,
 * listener and timer spent a large part of the hub's CPU per scrape on them (see
 * docs/performance.md); with a shared signal a call only adds itself to a Set (lib/abort-listeners).
 * A signal never aborts before the time asked for, and at most `stepMs` after it.
 */
export class SharedDeadlines {
  private readonly pending = new Map<number, AbortController>();

  constructor(
    /** What an aborted signal's reason says ("relay timeout"). */
    private readonly reason: string,
    private readonly stepMs = 50,
    private readonly now: () => number = Date.now,
  ) {}

  /** A signal that aborts once `ms` have passed (rounded up to the next step). */
  after(ms: number): AbortSignal {
    const at = Math.ceil((this.now() + ms) / this.stepMs) * this.stepMs;
    const held = this.pending.get(at);
    if (held) return held.signal;
    const controller = new AbortController();
    this.pending.set(at, controller);
    // Unref'd: a pending deadline must not keep a closing hub alive; a finished call has already unsubscribed.
    setTimeout(() => {
      this.pending.delete(at);
      controller.abort(new Error(this.reason));
    }, at - this.now()).unref();
    return controller.signal;
  }

  /** Deadlines not reached yet (at most the longest timeout divided by the step). */
  get size(): number {
    return this.pending.size;
  }
}
