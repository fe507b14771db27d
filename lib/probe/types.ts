import type { Module, ProberName, ProberOptions } from '../config/module.js';
import type { ExporterSettings } from '../config/exporter.js';
import type { MetricSet } from './metrics.js';
import type { TargetPolicy } from './target-policy.js';

export type ProbeLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface ProbeLogLine {
  /** Seconds since the probe started. */
  at: number;
  level: ProbeLogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

/** Collects a probe's log lines: shown by `/probe?debug=true` and in the structured result. */
export interface ProbeLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  lines(): ProbeLogLine[];
}

export interface ProbeContext<P extends ProberName = ProberName> {
  target: string;
  /** The prober's own section of the module, defaults applied. */
  options: ProberOptions<P>;
  module: Module;
  /** Aborts when the probe's timeout is reached; every prober honours it. */
  signal: AbortSignal;
  timeoutSeconds: number;
  logger: ProbeLogger;
  /** Exporter-wide settings a prober may need (allowed host-check paths, labels). */
  exporter: ExporterSettings;
  /** Only the metrics will be used (a plain /probe scrape): details may be left empty. */
  metricsOnly?: boolean;
  /**
   * What this probe may resolve and connect to, handed to every check (exporter/policy/enforce.ts).
   * Undefined: no policy (a Prometheus scrape with target_policy.apply_to_probe false).
   */
  policy?: TargetPolicy;
}

/**
 * One measurement. `/probe` renders `metrics` as Prometheus text; `/api/v1/run` returns the whole
 * object as JSON. `probe_success` and `probe_duration_seconds` are added by the runner, not here.
 */
export interface ProbeResult {
  success: boolean;
  /** Why the probe failed, in words an operator understands; absent on success. */
  reason?: string;
  metrics: MetricSet;
  /** Structured, JSON-safe details: answers, hops, headers, certificate, banner... */
  details: Record<string, unknown>;
}

export interface Prober<P extends ProberName = ProberName> {
  /** A reason the target is unacceptable for this prober (turned into a 400), or undefined. */
  validateTarget(target: string, options: ProberOptions<P>): string | undefined;
  /**
   * Runs one probe. With `load` (exporter/probers/shared/lazy-run.ts), the code behind it is
   * imported on first use; `load` imports it ahead, as the exporter does for configured probers.
   */
  run: ((ctx: ProbeContext<P>) => Promise<ProbeResult>) & { load?(): Promise<void> };
  /**
   * A reason this prober cannot run here (missing binary, no privilege, turned off in this
   * exporter's config), or undefined. Asked at start and on every reload; an unavailable prober
   * is not announced to the hub.
   */
  unavailable?(settings?: ExporterSettings): Promise<string | undefined>;
}
