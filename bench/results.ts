import type { ReplicasResult } from './replicas.js';
import type { BurstBenchResult } from './burst.js';
import type { TunnelsResult } from './tunnels.js';
import type { StoreResult } from './store.js';
import type { AsnBenchResult } from './asn.js';
/** The JSON a run writes to bench/results/<timestamp>.json, and what the report prints. */
export type ExporterName = 'pulse' | 'blackbox';
export const EXPORTERS: readonly ExporterName[] = ['pulse', 'blackbox'];

export interface ThroughputPoint {
  module: string;
  concurrency: number;
  exporter: ExporterName;
  probesPerSecond: number;
  ok: number;
  failed: number;
  failures: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

export interface MemoryFigures {
  /** Idle after start-up (12 s after it, before any probe: bench/throughput.ts says why 12). */
  idleMB: number;
  /** 2 s after start, before V8 has given back what start-up grew: reported, not judged. */
  justStartedMB: number;
  justStartedPssMB: number;
  /** Idle again, the same wait after the throughput runs (PSS for several processes): reported. */
  afterLoadMB: number;
  /** Highest resident set seen during the throughput runs (sum over workers). */
  peakMB: number;
  /** VmHWM at the end (per process, summed): the kernel's own peak. */
  hwmMB: number;
  /** Idle RSS split: anonymous (the process's own heap) and file-backed (shared binary code). */
  idleAnonMB: number;
  idleFileMB: number;
  /** Proportional set size summed over the processes: the fair total for several workers. */
  idlePssMB: number;
  peakPssMB: number;
  processes: number;
}

/** Start-up to the first answered /probe, from spawn. */
export interface StartupFigures {
  medianMs: number;
  runsMs: number[];
  /** For Pulse: `node -e 0` from spawn to exit on the same machine, the part no code of ours can save. */
  emptyNodeMs?: number;
}

export interface ThroughputResult {
  target: string;
  /** Measured before the throughput runs, one exporter at a time (BENCH_STARTUP_RUNS starts each). */
  startup?: Partial<Record<ExporterName, StartupFigures>>;
  points: ThroughputPoint[];
  memory: Partial<Record<ExporterName, MemoryFigures>>;
  /** Modules that could not run, with why (e.g. a prober not implemented yet). */
  errors: Record<string, string>;
}

export interface FidelityPoint {
  concurrency: number;
  exporter: ExporterName;
  samples: number;
  failed: number;
  probesPerSecond: number;
  /** Reported processing phase minus the target's fixed delay, in milliseconds. */
  errorMs: { min: number; p50: number; p99: number; max: number };
}

export interface FidelityResult {
  delayMs: number;
  points: FidelityPoint[];
  errors: Record<string, string>;
}

export interface FanoutResult {
  agents: number;
  agentDelayMs: number;
  rounds: Array<{
    /** From sending the request to the hub to its complete answer. */
    totalMs: number;
    /** totalMs minus the agents' fixed delay: what the hub adds on top of the slowest agent. */
    beyondSlowestMs: number;
    /** From the last agent's answer leaving the simulator to the hub's answer arriving. */
    afterLastAnswerMs: number;
    ok: number;
    other: Record<string, number>;
  }>;
  beyondSlowestMs: number;
  hubIdleMB: number;
  hubPeakMB: number;
  registration: string;
}

export interface SdResult {
  agents: number;
  jobs: number;
  groups: number;
  responseBytes: number;
  latencyMs: { p50: number; p99: number; max: number };
  requests: number;
  hubMB: number;
  registration: string;
}

export interface TargetCheck {
  id: string;
  description: string;
  /** null: could not be evaluated in this run (benchmark skipped or failed). */
  pass: boolean | null;
  detail: string;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryMB: number;
  node: string;
  kernel: string;
  blackbox: string;
  loadavg: number[];
}

export interface BenchRun {
  startedAt: string;
  finishedAt?: string;
  machine: Machine;
  settings: Record<string, unknown>;
  throughput?: ThroughputResult;
  fidelity?: FidelityResult;
  fanout?: FanoutResult;
  sd?: SdResult;
  burst?: BurstBenchResult;
  /** Dial-out agents (bench/tunnels.ts); its PASS/FAIL lines are printed by the stage. */
  tunnels?: TunnelsResult;
  store?: StoreResult;
  asn?: AsnBenchResult;
  /** Hub replicas on Redis (bench/replicas.ts); its PASS/FAIL lines are printed by the stage. */
  replicas?: ReplicasResult;
  skipped: Record<string, string>;
  targets: TargetCheck[];
}
