import type { ResolvedConfig } from '../lib/config/schema.js';
import type { ProberName } from '../lib/config/module.js';
import { proberCatalog } from '../lib/probers/catalog.js';
import { Limiter } from './limiter.js';
import type { ProberRegistry } from './probers/index.js';

/** What a reload swaps at once: the config and the limiters sized from it. */
export interface ExporterState {
  config: ResolvedConfig;
  limiters: Map<ProberName, Limiter>;
  /** Why a prober cannot run here, checked at start and on reload. */
  unavailable: Map<ProberName, string>;
}

export async function buildState(config: ResolvedConfig, probers: ProberRegistry): Promise<ExporterState> {
  const limiters = new Map<ProberName, Limiter>();
  const unavailable = new Map<ProberName, string>();
  const names = Object.keys(probers) as ProberName[];
  for (const name of names) {
    const limit = config.exporter.limits?.[name] ?? proberCatalog().limits(name);
    limiters.set(name, new Limiter(name, limit.concurrency, limit.queue));
  }
  // All at once: the mtr check starts a process, and start-up should wait for the slowest, not the sum.
  const reasons = await Promise.all(names.map((name) => probers[name].unavailable?.(config.exporter)));
  names.forEach((name, i) => {
    if (reasons[i]) unavailable.set(name, reasons[i]);
  });
  return { config, limiters, unavailable };
}
