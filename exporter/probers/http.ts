import type { Prober } from '../../lib/probe/types.js';

/** PLACEHOLDER until the http prober lands: refuses to run, and says so in /metrics. */
export const httpProber: Prober<'http'> = {
  validateTarget: () => undefined,
  unavailable: async () => 'the http prober is not implemented yet',
  run: async () => {
    throw new Error('the http prober is not implemented yet');
  },
};
