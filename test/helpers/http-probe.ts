import { executeProbe, type ProbeOutcome, prepareProbe } from '../../exporter/probe.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { resolveConfig } from '../../lib/config/load.js';

/**
 * Runs one probe through the exporter's real path (config defaults, target checks, timeout
 * signal), with the module section given as it would appear in pulse.yml.
 */
export async function runModule(prober: string, section: Record<string, unknown>, target: string, timeout = '10s', exporter?: Record<string, unknown>): Promise<ProbeOutcome> {
  const cfg = resolveConfig({ modules: { m: { prober, timeout, [prober]: section } }, ...(exporter ? { exporter } : {}) });
  const mod = cfg.modules.m!;
  const req = { module: mod, target };
  const { prober: p, timeoutSeconds } = prepareProbe(defaultProbers(), cfg.exporter, req);
  return executeProbe(p, cfg.exporter, req, timeoutSeconds, undefined);
}
