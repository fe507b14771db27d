import type { ExporterSettings } from '../lib/config/exporter.js';
import type { Module, ProberName } from '../lib/config/module.js';
import { parseDuration } from '../lib/duration.js';
import { PulseError } from '../lib/errors.js';
import { createProbeLogger } from '../lib/probe/logger.js';
import { MetricSet } from '../lib/probe/metrics.js';
import type { Prober, ProbeContext, ProbeLogLine, ProbeResult } from '../lib/probe/types.js';
import { commonTargetError } from '../lib/target.js';
import { redactUrl } from './debug.js';
import type { ProberRegistry } from './probers/index.js';
import { probeTimeoutSeconds } from './timeout.js';

export interface ProbeRequest {
  /** The module's name in the config, or undefined for an ad-hoc module from the hub. */
  moduleName?: string;
  module: Module;
  target: string;
  /** The raw X-Prometheus-Scrape-Timeout-Seconds header, if any. */
  scrapeTimeoutHeader?: string;
  /** Timeout the caller asks for (the hub's ad-hoc tests), capped by the module's. */
  timeoutSeconds?: number;
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
  const prober = probers[name] as Prober;
  const options = req.module[name] ?? {};
  const own = prober.validateTarget(req.target, options as never);
  if (own) throw new PulseError('PULSE_BAD_TARGET', own);
  let timeoutSeconds: number;
  if (req.timeoutSeconds !== undefined) {
    const mod = req.module.timeout ? parseDuration(req.module.timeout) : Number.POSITIVE_INFINITY;
    timeoutSeconds = Math.min(req.timeoutSeconds, mod);
  } else {
    timeoutSeconds = probeTimeoutSeconds(req.module.timeout, req.scrapeTimeoutHeader, parseDuration(exporter.timeout_offset));
  }
  return { prober, timeoutSeconds };
}

/** Runs one probe to completion; never throws for a probe failure, only for programming errors. */
export async function executeProbe(
  prober: Prober,
  exporter: ExporterSettings,
  req: ProbeRequest,
  timeoutSeconds: number,
  unavailable: string | undefined,
): Promise<ProbeOutcome> {
  const started = performance.now();
  const logger = createProbeLogger(started);
  const signal = AbortSignal.timeout(Math.max(1, Math.round(timeoutSeconds * 1000)));
  const name = req.module.prober;
  logger.info('Beginning probe', { probe: name, target: redactUrl(req.target), timeout_seconds: timeoutSeconds });

  let result: ProbeResult;
  if (unavailable) {
    result = { success: false, reason: unavailable, metrics: new MetricSet(), details: {} };
  } else {
    const ctx: ProbeContext = {
      target: req.target,
      options: (req.module[name] ?? {}) as never,
      module: req.module,
      signal,
      timeoutSeconds,
      logger,
      exporter,
    };
    try {
      result = await prober.run(ctx);
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
