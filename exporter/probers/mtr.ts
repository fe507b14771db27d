import type { Prober } from '../../lib/probe/types.js';

/** PLACEHOLDER until the mtr prober lands: refuses to run, and says so in /metrics. */
export const mtrProber: Prober<'mtr'> = {
  validateTarget: () => undefined,
  unavailable: async () => 'the mtr prober is not implemented yet',
  run: async () => {
    throw new Error('the mtr prober is not implemented yet');
  },
};
