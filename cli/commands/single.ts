import { buildRequest, type TestInput } from '../../client/requests.js';
import { type ExitCode, type Globals, type Io, UsageError } from '../context.js';
import { runMeasurements } from './run.js';

/** -4 / -6 as an IP version. */
export function ipVersion(opts: { ipv4?: boolean; ipv6?: boolean }): 4 | 6 | undefined {
  if (opts.ipv4 && opts.ipv6) throw new UsageError('-4 and -6 exclude each other');
  return opts.ipv4 ? 4 : opts.ipv6 ? 6 : undefined;
}

/** One measurement from one input, with the global agent selector and timeout. */
export function single(input: TestInput, g: Globals, io: Io, targetTitle = 'TARGET'): Promise<ExitCode> {
  const common = { agents: g.agents, ...(g.timeout === undefined ? {} : { timeout: g.timeout }) };
  return runMeasurements({ requests: [buildRequest(input, common)], targetTitle }, g, io);
}
