import { PulseError } from '../lib/errors.js';

/**
 * How many measurements and operations run at once. Each fan-out holds queue slots and memory
 * until its deadline, and `?async=true` answers at once, so without a cap anyone could pile up
 * unlimited work; above it the hub answers 429 instead.
 */
export class RunningLimit {
  private count = 0;

  constructor(private readonly max: number) {}

  get running(): number {
    return this.count;
  }

  /** Takes a slot or throws PULSE_BUSY; call the returned function exactly once when done. */
  acquire(): () => void {
    if (this.count >= this.max) {
      throw new PulseError(
        'PULSE_BUSY',
        `the hub is running ${this.count} measurements and operations, its limit (hub.max_running_measurements); retry when some finish`,
      );
    }
    this.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count--;
    };
  }
}
