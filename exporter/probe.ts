import type { ExporterSettings } from '../lib/config/exporter.js';
import type { Module, ProberName } from '../lib/config/module.js';
import { parseDuration } from '../lib/duration.js';
import { PulseError } from '../lib/errors.js';
import { createProbeLogger, silentProbeLogger } from '../lib/probe/logger.js';
import { MetricSet } from '../lib/probe/metrics.js';
import type { Prober, ProbeContext, ProbeLogLine, ProbeResult } from '../lib/probe/types.js';
import { commonTargetError } from '../lib/target.js';
import { redactUrl } from '../lib/redact.js';
import type { ProberRegistry } from './probers/index.js';
import { probeTimeoutSeconds } from './timeout.js';
import { policyFor } from './policy/for-exporter.js';

export interface ProbeRequest {
  /** The module's name in the config, or undefined for an ad-hoc module from the hub. */
  moduleName?: string;
  module: Module;
  target: string;
  /** The raw X-Prometheus-Scrape-Timeout-Seconds header, if any. */
  scrapeTimeoutHeader?: string;
  /** Timeout the caller asks for (the hub's ad-hoc tests), capped by the module's. */
  timeoutSeconds?: number;
  /**
   * Only the metrics will be used (a plain /probe scrape): logs are not kept and probers may skip
   * building details. /api/v1/run and debug=true leave it unset.
   */
  metricsOnly?: boolean;
  /** Asked by Prometheus' /probe (target_policy.apply_to_probe decides), not by the hub. */
  fromPrometheus?: boolean;
}

export interface ProbeOutcome {
  prober: ProberName;
  target: string;
  success: boolean;
  reason?: string;
  durationSeconds: number;
  timeoutSeconds: number;
  /** Everything `/probe` answers, probe_success and friends included. */
  metrics: MetricSet;
  details: Record<string, unknown>;
  logs: ProbeLogLine[];
}

/** Checks that need no I/O, done before a probe takes a concurrency slot; throws PulseError. */
export function prepareProbe(
  probers: ProberRegistry,
  exporter: ExporterSettings,
  req: ProbeRequest,
): { prober: Prober; timeoutSeconds: number } {
  const targetError = commonTargetError(req.target);
  if (targetError) throw new PulseError('PULSE_BAD_TARGET', targetError);
  const name = req.module.prober;
  const prober = (probers as Readonly<Record<string, Prober | undefined>>)[name];
  if (!prober) throw new PulseError('PULSE_PROBER_UNAVAILABLE', `the ${name} prober is not part of this exporter`);
  const options = req.module[name] ?? {};
  const own = prober.validateTarget(req.target, options as never);
  if (own) throw new PulseError('PULSE_BAD_TARGET', own);
  let timeoutSeconds: number;
  if (req.timeoutSeconds !== undefined) {
    const mod = req.module.timeout ? cachedDuration(req.module.timeout) : Number.POSITIVE_INFINITY;
    timeoutSeconds = Math.min(req.timeoutSeconds, mod);
  } else {
    // probeTimeoutSeconds' module cap, applied here so the module's duration is parsed once, not per scrape.
    timeoutSeconds = probeTimeoutSeconds(undefined, req.scrapeTimeoutHeader, cachedDuration(exporter.timeout_offset));
    if (req.module.timeout !== undefined) {
      const mod = cachedDuration(req.module.timeout);
      if (mod > 0 && mod < timeoutSeconds) timeoutSeconds = mod;
    }
  }
  return { prober, timeoutSeconds };
}

/** Config durations repeat on every scrape; bounded, since the hub's ad-hoc modules bring their own. */
const durations = new Map<string, number>();
function cachedDuration(text: string): number {
  let v = durations.get(text);
  if (v === undefined) {
    v = parseDuration(text);
    if (durations.size >= 256) durations.clear();
    durations.set(text, v);
  }
  return v;
}

/** A prober that ignores its signal gets this long past the deadline before its slot is taken back. */
export const ABANDON_GRACE_MS = 1000;

/**
 * Runs one probe to completion; never throws for a probe failure, only for programming errors.
 * `deadline` (performance.now() milliseconds) is when the whole request must be done, time spent
 * waiting for a slot included; without it the probe gets all of `timeoutSeconds` from now.
 */
export async function executeProbe(
  prober: Prober,
  exporter: ExporterSettings,
  req: ProbeRequest,
  timeoutSeconds: number,
  unavailable: string | undefined,
  deadline?: number,
  deadlineSignal?: AbortSignal,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const logger = req.metricsOnly ? silentProbeLogger() : createProbeLogger(started);
  // Whole milliseconds, so probers' messages say "after 0.7s", not "after 0.69999999s".
  const remainingMs = deadline === undefined ? timeoutSeconds * 1000 : Math.max(0, Math.round(deadline - started));
  // The caller's signal (one timer for queue and probe) unless the deadline passed before its timer ran.
  if (deadlineSignal && (remainingMs > 0 || deadlineSignal.aborted)) {
    return runAndMeasure(prober, exporter, req, timeoutSeconds, remainingMs / 1000, unavailable, deadlineSignal, started, logger);
  }
  const timer = createDeadlineSignal(remainingMs);
  try {
    return await runAndMeasure(prober, exporter, req, timeoutSeconds, remainingMs / 1000, unavailable, timer.signal, started, logger);
  } finally {
    timer.clear();
  }
}

/**
 * An AbortSignal that fires, as a TimeoutError, after `ms`. Unlike AbortSignal.timeout its timer is
 * cleared when the probe ends, so thousands of scrapes do not leave thousands of timers behind.
 */
export function createDeadlineSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const fire = () => controller.abort(new DOMException('The probe timed out', 'TimeoutError'));
  if (ms <= 0) {
    fire();
    return { signal: controller.signal, clear: () => {} };
  }
  const timer = setTimeout(fire, Math.max(1, Math.round(ms)));
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * The prober's promise, or a rejection once the signal has fired and the grace has passed, so a
 * prober deaf to its signal still ends. One promise and, only after an abort, one timer.
 */
function withAbandon<T>(run: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => reject(new Error('probe timed out')), graceMs);
      timer.unref();
    };
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    run.then(
      (v) => {
        settle();
        resolve(v);
      },
      (err: unknown) => {
        settle();
        reject(err);
      },
    );
  });
}

async function runAndMeasure(
  prober: Prober,
  exporter: ExporterSettings,
  req: ProbeRequest,
  timeoutSeconds: number,
  remainingSeconds: number,
  unavailable: string | undefined,
  signal: AbortSignal,
  started: number,
  logger: ReturnType<typeof createProbeLogger>,
): Promise<ProbeOutcome> {
  const name = req.module.prober;
  if (!req.metricsOnly) logger.info('Beginning probe', { probe: name, target: redactUrl(req.target), timeout_seconds: timeoutSeconds });

  let result: ProbeResult;
  if (unavailable) {
    result = { success: false, reason: unavailable, metrics: new MetricSet(), details: {} };
  } else {
    const ctx: ProbeContext = {
      target: req.target,
      options: (req.module[name] ?? {}) as never,
      module: req.module,
      signal,
      timeoutSeconds: remainingSeconds,
      logger,
      exporter,
    };
    if (req.metricsOnly) ctx.metricsOnly = true;
    // Every address the prober resolves or connects to is checked against this policy.
    const policy = policyFor(exporter, req.fromPrometheus === true);
    if (policy) ctx.policy = policy;
    try {
      result = await withAbandon(
        prober.run(ctx),
        signal,
        ABANDON_GRACE_MS,
      );
    } catch (err) {
      const reason = signal.aborted ? `probe timed out after ${timeoutSeconds}s` : (err as Error).message;
      result = { success: false, reason, metrics: new MetricSet(), details: {} };
    }
  }
  if (!result.success && result.reason === undefined && signal.aborted) {
    result.reason = `probe timed out after ${timeoutSeconds}s`;
  }
  const durationSeconds = (performance.now() - started) / 1000;
  if (result.success) logger.info('Probe succeeded', { duration_seconds: durationSeconds });
  else logger.error('Probe failed', { duration_seconds: durationSeconds, reason: result.reason ?? 'unknown' });

  const metrics = new MetricSet()
    .merge(result.metrics)
    .gauge('probe_duration_seconds', 'Returns how long the probe took to complete in seconds', durationSeconds)
    .gauge('probe_success', 'Displays whether or not the probe was a success', result.success ? 1 : 0)
    .gauge('probe_timeout_seconds', 'Returns the timeout the probe ran with, in seconds', timeoutSeconds);

  const outcome: ProbeOutcome = {
    prober: name,
    target: req.target,
    success: result.success,
    durationSeconds,
    timeoutSeconds,
    metrics,
    details: result.details,
    logs: logger.lines(),
  };
  if (result.reason !== undefined) outcome.reason = result.reason;
  return outcome;
}
