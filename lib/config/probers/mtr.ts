import Type from 'typebox';
import { parseDuration } from '../../duration.js';
import { Duration, type UnsupportedOption } from '../common.js';

/** The `mtr:` section of a module: what `mtr --report` users set on the command line. */
export const MtrOptions = Type.Object(
  {
    /** Cycles: probes sent to every hop (mtr -c). */
    packets: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
    /** Time between cycles (mtr -i); below 1s mtr requires root. */
    interval: Duration({ default: '1s' }),
    max_hops: Type.Integer({ minimum: 1, maximum: 255, default: 30 }),
    protocol: Type.Enum(['icmp', 'udp', 'tcp'], { default: 'icmp' }),
    /** Destination port for udp and tcp (mtr -P); mtr's own default when absent. */
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** 4 or 6 (the original Pulse's `IPv`); absent: the first address the system resolver returns. */
    ip_version: Type.Optional(Type.Enum([4, 6])),
    resolve_hostnames: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type MtrOptions = Type.Static<typeof MtrOptions>;

export const mtrUnsupported: UnsupportedOption[] = [];

/** mtr floods every hop at shorter intervals (it refuses < 1s unless root; Pulse runs as root). */
export const MTR_MIN_INTERVAL_SECONDS = 0.1;

export function mtrOptionsError(o: MtrOptions): string | undefined {
  if (parseDuration(o.interval) < MTR_MIN_INTERVAL_SECONDS) return `interval ${o.interval} is below the minimum of 100ms`;
  return undefined;
}
