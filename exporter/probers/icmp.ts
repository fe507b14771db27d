import type { Prober } from '../../lib/probe/types.js';

/** PLACEHOLDER until the icmp prober lands: refuses to run, and says so in /metrics. */
export const icmpProber: Prober<'icmp'> = {
  validateTarget: () => undefined,
  unavailable: async () => 'the icmp prober is not implemented yet',
  run: async () => {
    throw new Error('the icmp prober is not implemented yet');
  },
};
