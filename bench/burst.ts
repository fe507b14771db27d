import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { executeProbe, prepareProbe } from '../exporter/probe.js';
import { defaultProbers } from '../exporter/probers/index.js';
import { resolveConfig } from '../lib/config/load.js';
import { compareToKernel, type ErrorFigures, handshakesFromCapture } from './burst-capture.js';
import { startFastTarget } from './services.js';
import type { BenchSettings } from './settings.js';

const TCPDUMP = process.env.BENCH_TCPDUMP_BIN ?? '/usr/bin/tcpdump';

export interface BurstBenchResult {
  connections: number;
  concurrency: number;
  /** Pulse's connect times against the kernel's (SYN → SYN-ACK on the wire, by tcpdump). */
  error: ErrorFigures;
  pulseP50Ms: number;
  pulseP99Ms: number;
  kernelP50Ms: number;
  /** On a target known not to stall (local nginx, backlog 4096): must be 0. */
  stalled: number;
  failures: number;
  /** The exporter's own event loop during the burst: what its scheduling could have added. */
  eventLoopDelayMaxMs: number;
}

/**
 * (6) A burst of BENCH_BURST_CONNECTIONS (1000) connections at BENCH_BURST_CONCURRENCY (10) to local nginx, captured with tcpdump
 * on loopback: Pulse's connect time for each local port against the kernel's handshake.
 */
export async function benchBurst(dir: string, settings: BenchSettings, log: (l: string) => void): Promise<BurstBenchResult | string> {
  if (!existsSync(TCPDUMP)) return `${TCPDUMP} not installed (Debian tcpdump; scripts/install-system-deps.sh installs it)`;
  const nginx = await startFastTarget(dir);
  let dump: Capture | undefined;
  try {
    dump = await startCapture(nginx.port);
    const cfg = resolveConfig({
      exporter: { burst: { max_connections: settings.burstConnections, max_concurrency: settings.burstConcurrency } },
      modules: { b: { prober: 'burst', timeout: '60s', burst: { connections: settings.burstConnections, concurrency: settings.burstConcurrency, preferred_ip_protocol: 'ip4' } } },
    });
    const req = { module: cfg.modules.b!, target: `127.0.0.1:${nginx.port}` };
    const { prober, timeoutSeconds } = prepareProbe(defaultProbers(), cfg.exporter, req);
    const out = await executeProbe(prober, cfg.exporter, req, timeoutSeconds, undefined);
    const text = await dump.stop();
    dump = undefined;
    const kernel = handshakesFromCapture(text, nginx.port);
    const attempts = (out.details.attempts ?? []) as { local_port?: number; connect?: number }[];
    const error = compareToKernel(attempts, kernel);
    const q = (name: string, quantile: string) => (out.metrics.get(name, { quantile }) ?? Number.NaN) * 1000;
    const kernelSorted = [...kernel.values()].sort((a, b) => a - b);
    const result: BurstBenchResult = {
      connections: settings.burstConnections,
      concurrency: settings.burstConcurrency,
      error,
      pulseP50Ms: q('probe_burst_connect_seconds', '0.5'),
      pulseP99Ms: q('probe_burst_connect_seconds', '0.99'),
      kernelP50Ms: (kernelSorted[Math.floor(kernelSorted.length / 2)] ?? Number.NaN) * 1000,
      stalled: out.metrics.get('probe_burst_stalled_handshakes') ?? Number.NaN,
      failures: (out.metrics.get('probe_burst_attempts') ?? 0) - attempts.filter((a) => a.connect !== undefined).length,
      eventLoopDelayMaxMs: (out.metrics.get('probe_burst_event_loop_delay_max_seconds') ?? Number.NaN) * 1000,
    };
    log(
      `  ${result.connections} connections at ${result.concurrency}: ${error.matched} matched in the capture; |Pulse − kernel| median ${error.medianAbsMs.toFixed(3)} ms, p99 ${error.p99AbsMs.toFixed(3)} ms, max ${error.maxAbsMs.toFixed(3)} ms`,
    );
    log(
      `  connect p50 Pulse ${result.pulseP50Ms.toFixed(3)} ms vs kernel ${result.kernelP50Ms.toFixed(3)} ms; stalled ${result.stalled}, failed ${result.failures}; event-loop delay max ${result.eventLoopDelayMaxMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    if (dump) await dump.stop();
    await nginx.stop();
  }
}

/** tcpdump on loopback for SYN and SYN-ACK packets of one port; resolves once it listens. */
interface Capture {
  child: ChildProcess;
  /** Stops the capture (SIGINT flushes it) and returns its text. */
  stop(): Promise<string>;
}

function startCapture(port: number): Promise<Capture> {
  return new Promise((resolve, reject) => {
    const args = ['-i', 'lo', '-nn', '-tt', '--time-stamp-precision=nano', '-l', '-B', '16384', `tcp port ${port} and tcp[tcpflags] & tcp-syn != 0`];
    const child = spawn(TCPDUMP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => chunks.push(d));
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    const stop = async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
      return Buffer.concat(chunks).toString('utf8');
    };
    child.stderr!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening on')) resolve({ child, stop });
    });
    child.once('error', reject);
    setTimeout(() => reject(new Error('tcpdump did not start within 10 s')), 10_000).unref();
  });
}
