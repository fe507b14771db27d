import type { Prober } from '../../lib/probe/types.js';

/** PLACEHOLDER until the dns prober lands: refuses to run, and says so in /metrics. */
export const dnsProber: Prober<'dns'> = {
  validateTarget: () => undefined,
  unavailable: async () => 'the dns prober is not implemented yet',
  run: async () => {
    throw new Error('the dns prober is not implemented yet');
  },
};
