import { describe, expect, it } from 'vitest';
import { compareToKernel, handshakesFromCapture } from '../../bench/burst-capture.js';
import { burstTargets } from '../../bench/burst-targets.js';

// tcpdump -i lo -nn -tt --time-stamp-precision=nano 'tcp port 8080 and tcp[tcpflags] & tcp-syn != 0'
const CAPTURE = `1764622800.000100000 IP 127.0.0.1.40001 > 127.0.0.1.8080: Flags [S], seq 1, win 65495, length 0
1764622800.000120000 IP 127.0.0.1.8080 > 127.0.0.1.40001: Flags [S.], seq 9, ack 2, win 65483, length 0
1764622800.000200000 IP 127.0.0.1.40002 > 127.0.0.1.8080: Flags [S], seq 1, win 65495, length 0
1764622801.020200000 IP 127.0.0.1.40002 > 127.0.0.1.8080: Flags [S], seq 1, win 65495, length 0
1764622801.020230000 IP 127.0.0.1.8080 > 127.0.0.1.40002: Flags [S.], seq 9, ack 2, win 65483, length 0
1764622800.000300000 IP 127.0.0.1.40003 > 127.0.0.1.8080: Flags [S], seq 1, win 65495, length 0
`;

describe('burst benchmark: the kernel view from a capture', () => {
  it('times each port from its first SYN to the SYN-ACK, retransmissions included', () => {
    const k = handshakesFromCapture(CAPTURE, 8080);
    expect(k.get(40001)).toBeCloseTo(0.00002, 9);
    expect(k.get(40002)).toBeCloseTo(1.02003, 6);
    expect(k.has(40003)).toBe(false);
  });

  it("compares Pulse's connect times per local port and judges the 1 ms target", () => {
    const k = handshakesFromCapture(CAPTURE, 8080);
    const e = compareToKernel([{ local_port: 40001, connect: 0.00052 }, { local_port: 40002, connect: 1.0203 }, { local_port: 40003 }], k);
    expect(e.matched).toBe(2);
    expect(e.medianAbsMs).toBeCloseTo(0.5, 6);
    const run = { startedAt: '', machine: {} as never, settings: {}, skipped: {} };
    const burst = { connections: 3, concurrency: 3, error: e, pulseP50Ms: 0, pulseP99Ms: 0, kernelP50Ms: 0, stalled: 0, failures: 0, eventLoopDelayMaxMs: 2 };
    expect(burstTargets({ ...run, burst }).map((t) => t.pass)).toEqual([true, true]);
    expect(burstTargets({ ...run, burst: { ...burst, stalled: 1 } })[1]!.pass).toBe(false);
    expect(burstTargets(run).map((t) => t.pass)).toEqual([null, null]);
  });
});
