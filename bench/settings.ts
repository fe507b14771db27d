/** Every knob of `npm run bench`, read from the environment once, with defaults sized for 2 cores. */
export interface BenchSettings {
  only: Set<string>;
  seconds: number;
  warmupSeconds: number;
  /** Unrecorded load on every module before the first throughput point (V8 tiers up meanwhile). */
  jitWarmupSeconds: number;
  maxRequests: number;
  concurrency: number[];
  fidelitySeconds: number;
  fidelityConcurrency: number[];
  fidelityDelayMs: number;
  pulseWorkers: number;
  /** Starts measured per exporter for start-up to the first answered /probe. */
  startupRuns: number;
  agents: number;
  agentDelayMs: number;
  sdAgents: number;
  sdJobs: number;
  sdRequests: number;
  burstConnections: number;
  burstConcurrency: number;
  resultsDir: string | undefined;
  /** (6) ASN: offline lookups timed, and GET /asnlookup/ip requests. */
  asnLookups: number;
  asnRequests: number;
}

export const BENCHMARKS = ['throughput', 'fidelity', 'fanout', 'sd', 'burst', 'tunnels', 'store', 'asn', 'replicas'] as const;

export function readSettings(env: NodeJS.ProcessEnv): BenchSettings {
  const num = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name}=${raw}: expected a number from ${min} to ${max}`);
    return v;
  };
  const list = (name: string, def: number[], max: number): number[] => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const out = raw.split(',').map((s) => Number(s.trim()));
    if (out.some((v) => !Number.isInteger(v) || v < 1 || v > max)) throw new Error(`${name}=${raw}: expected integers from 1 to ${max}`);
    return out;
  };
  const onlyRaw = env.BENCH_ONLY?.trim();
  const only = new Set(onlyRaw ? onlyRaw.split(',').map((s) => s.trim()) : BENCHMARKS);
  for (const b of only) {
    if (!(BENCHMARKS as readonly string[]).includes(b)) throw new Error(`BENCH_ONLY: unknown benchmark "${b}" (have ${BENCHMARKS.join(', ')})`);
  }
  const seconds = num('BENCH_SECONDS', 5, 0.5, 600);
  return {
    only,
    seconds,
    asnLookups: num('BENCH_ASN_LOOKUPS', 2_000_000, 1000, 100_000_000),
    asnRequests: num('BENCH_ASN_REQUESTS', 2000, 100, 1_000_000),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 1, 0, 60),
    jitWarmupSeconds: num('BENCH_JIT_WARMUP_SECONDS', 3, 0, 60),
    maxRequests: num('BENCH_MAX_REQUESTS', 500_000, 100, 10_000_000),
    concurrency: list('BENCH_CONCURRENCY', [8, 64], 1024),
    fidelitySeconds: num('BENCH_FIDELITY_SECONDS', seconds, 0.5, 600),
    fidelityConcurrency: list('BENCH_FIDELITY_CONCURRENCY', [1, 50, 200], 1024),
    fidelityDelayMs: num('BENCH_FIDELITY_DELAY_MS', 50, 1, 10_000),
    pulseWorkers: num('BENCH_PULSE_WORKERS', 0, 0, 64),
    startupRuns: num('BENCH_STARTUP_RUNS', 5, 0, 100),
    agents: num('BENCH_AGENTS', 1000, 1, 5000),
    agentDelayMs: num('BENCH_AGENT_DELAY_MS', 200, 0, 10_000),
    sdAgents: num('BENCH_SD_AGENTS', 10_000, 1, 100_000),
    sdJobs: num('BENCH_SD_JOBS', 3, 1, 100),
    sdRequests: num('BENCH_SD_REQUESTS', 100, 1, 100_000),
    burstConnections: num('BENCH_BURST_CONNECTIONS', 1000, 1, 10_000),
    burstConcurrency: num('BENCH_BURST_CONCURRENCY', 10, 1, 1000),
    resultsDir: env.BENCH_RESULTS_DIR,
  };
}
