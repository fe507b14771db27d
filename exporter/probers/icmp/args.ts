import type { IcmpOptions } from '../../../lib/config/probers/icmp.js';
import type { IpFamily } from '../shared/address.js';

/** ping stops printing `time=` when the payload cannot hold its 16-byte timestamp. */
export const MIN_PING_PAYLOAD = 16;

/**
 * iputils `ping` arguments for one probe. The address is already resolved (Pulse measures the
 * lookup itself, as blackbox does), so ping gets a literal and `-n` keeps it from doing reverse DNS.
 */
export function buildPingArgs(options: IcmpOptions, address: string, family: IpFamily, intervalSeconds: number): string[] {
  const args = ['-n', family === 6 ? '-6' : '-4', '-c', String(options.packets)];
  if (options.packets > 1) args.push('-i', String(intervalSeconds));
  if (options.payload_size > 0) args.push('-s', String(Math.max(MIN_PING_PAYLOAD, options.payload_size)));
  if (options.ttl > 0) args.push('-t', String(options.ttl));
  if (options.dont_fragment) args.push('-M', 'do');
  if (options.source_ip_address) args.push('-I', options.source_ip_address);
  // `--` ends option parsing, so even a target that slipped past validation cannot become a flag.
  args.push('--', address);
  return args;
}
