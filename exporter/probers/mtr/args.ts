import type { MtrOptions } from '../../../lib/config/probers/mtr.js';
import type { IpFamily } from '../shared/address.js';

/**
 * `mtr` arguments for one trace of an already-resolved address. `--raw` rather than `--json`:
 * it streams one line per probe sent and per reply (RTT in microseconds, every address that
 * answered a hop), so Pulse computes every statistic itself (jitter included, which the JSON
 * report lacks) and keeps what arrived even when a trace is cut short by the timeout.
 */
export function buildMtrArgs(
  options: MtrOptions,
  address: string,
  family: IpFamily,
  intervalSeconds: number,
  graceSeconds: number,
): string[] {
  const args = [
    '--raw',
    '-c',
    String(options.packets),
    '-i',
    String(intervalSeconds),
    '-G',
    String(graceSeconds),
    '-m',
    String(options.max_hops),
    family === 6 ? '-6' : '-4',
  ];
  if (!options.resolve_hostnames) args.push('-n');
  if (options.protocol === 'udp') args.push('-u');
  if (options.protocol === 'tcp') args.push('-T');
  if (options.port !== undefined && options.protocol !== 'icmp') args.push('-P', String(options.port));
  // `--` ends option parsing: the address can never be read as a flag.
  args.push('--', address);
  return args;
}
