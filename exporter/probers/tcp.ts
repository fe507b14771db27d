import type { Prober } from '../../lib/probe/types.js';

/** PLACEHOLDER until the tcp prober lands: refuses to run, and says so in /metrics. */
export const tcpProber: Prober<'tcp'> = {
  validateTarget: () => undefined,
  unavailable: async () => 'the tcp prober is not implemented yet',
  run: async () => {
    throw new Error('the tcp prober is not implemented yet');
  },
};
