import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober } from '../../lib/probe/types.js';
import { defaultProbers, type ProberRegistry } from '../../exporter/probers/index.js';

/**
 * A prober whose outcome the test chooses by target host, so fan-out tests do not depend on a
 * real prober's maturity: ok.test:N succeeds, fail.test:N fails, wait.test:N waits for `gate`,
 * stuck.test:N never ends even when aborted (an agent that misbehaves), anything else is a bad target.
 */
export function scriptedProber(opts: { gate?: Promise<void> } = {}): Prober<'tcp'> {
  return {
    validateTarget: (target) => (/^[a-z]+\.test:[0-9]+$/.test(target) ? undefined : 'scripted targets look like ok.test:1'),
    async run(ctx) {
      const host = ctx.target.split(':')[0];
      const metrics = new MetricSet().gauge('probe_scripted_value', 'A value the scripted prober reports.', 42);
      if (host === 'stuck.test') await new Promise(() => undefined);
      if (host === 'wait.test' && opts.gate) {
        await Promise.race([
          opts.gate,
          new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
        ]);
      }
      if (host === 'fail.test') return { success: false, reason: 'scripted failure', metrics, details: { host } };
      return { success: true, metrics, details: { host } };
    },
  };
}

/** The default probers with the tcp slot replaced by a scripted one. */
export function scriptedRegistry(opts: { gate?: Promise<void> } = {}): ProberRegistry {
  return { ...defaultProbers(), tcp: scriptedProber(opts) };
}

/** A promise and its release, for holding a prober until the test says so. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
