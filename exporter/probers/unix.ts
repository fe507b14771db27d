import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';
import { lexicalPathError } from './shared/path-policy.js';

/** blackbox_exporter's unix prober: target is a socket path; optional TLS and a query/response dialogue. */
export const unixProber: Prober<'unix'> = {
  validateTarget: (target) => lexicalPathError(target),
  run: lazyRun(async () => (await import('./unix/run.js')).runUnix),
};
