import type { Prober } from '../../lib/probe/types.js';

const notYet = async () => 'host checks are not implemented yet';
const run = async (): Promise<never> => {
  throw new Error('host checks are not implemented yet');
};

/** PLACEHOLDER until host checks land. */
export const fileExistsProber: Prober<'file_exists'> = { validateTarget: () => undefined, unavailable: notYet, run };
export const fileContainsProber: Prober<'file_contains'> = { validateTarget: () => undefined, unavailable: notYet, run };
export const processRunningProber: Prober<'process_running'> = { validateTarget: () => undefined, unavailable: notYet, run };
