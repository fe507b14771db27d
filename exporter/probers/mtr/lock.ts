/**
 * A shared/exclusive lock for mtr runs in this process.
 *
 * Why: mtr 0.95's mtr-packet matches an ICMP error quoting a TCP probe by the TCP source port
 * alone (ICMP probes carry the process id, UDP ones are checked against their addresses). Every
 * mtr starts its sequence at 33000, so while a TCP trace runs, any other trace on the host can
 * take its time-exceeded replies for its own: a silent hop then shows another path's router.
 * TCP traces therefore run alone; ICMP and UDP traces run side by side.
 */
export class SharedExclusiveLock {
  private shared = 0;
  private exclusive = false;
  private readonly queue: Array<{ mode: 'shared' | 'exclusive'; grant: () => void }> = [];

  /** Resolves with a release function once granted; rejects if the signal aborts first. */
  acquire(mode: 'shared' | 'exclusive', signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    if (this.queue.length === 0 && this.canGrant(mode)) return Promise.resolve(this.take(mode));
    return new Promise((resolve, reject) => {
      const entry = {
        mode,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.take(mode));
        },
      };
      const onAbort = () => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new Error('aborted'));
        this.drain();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
    });
  }

  private canGrant(mode: 'shared' | 'exclusive'): boolean {
    return mode === 'shared' ? !this.exclusive : !this.exclusive && this.shared === 0;
  }

  private take(mode: 'shared' | 'exclusive'): () => void {
    if (mode === 'shared') this.shared++;
    else this.exclusive = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (mode === 'shared') this.shared--;
      else this.exclusive = false;
      this.drain();
    };
  }

  /** Grants waiters in arrival order; a waiting exclusive one holds back later shared ones. */
  private drain(): void {
    while (this.queue.length > 0 && this.canGrant(this.queue[0]!.mode)) this.queue.shift()!.grant();
  }
}
