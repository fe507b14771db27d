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
  /** Probers whose check has not answered yet (see buildState's `defer`). */
  pending: Set<ProberName>;
  /** Settles when every prober has been checked. */
  checked: Promise<void>;
}

/**
 * With `defer`, only the probers the config's modules use are checked before this resolves; the
 * others (asked for ad hoc by a hub) are checked in the background and `checked` settles when
 * they are. The mtr check starts a process: start-up to the first /probe need not wait for it
 * when no module runs mtr.
 */
export async function buildState(config: ResolvedConfig, probers: ProberRegistry, defer = false): Promise<ExporterState> {
  const limiters = new Map<ProberName, Limiter>();
  const unavailable = new Map<ProberName, string>();
  const names = Object.keys(probers) as ProberName[];
  for (const name of names) {
    const limit = config.exporter.limits?.[name] ?? proberCatalog().limits(name);
    limiters.set(name, new Limiter(name, limit.concurrency, limit.queue));
  }
  const used = new Set(Object.values(config.modules).map((m) => m.prober));
  // All at once: start-up should wait for the slowest check, not the sum.
  const pending = new Set(names);
  const check = async (name: ProberName) => {
    // A prober the config uses is loaded now, with its availability check, not on the first scrape.
    const [reason] = await Promise.all([probers[name].unavailable?.(config.exporter), used.has(name) ? probers[name].run.load?.() : undefined]);
    if (reason) unavailable.set(name, reason);
    pending.delete(name);
  };
  const now = defer ? names.filter((n) => used.has(n)) : names;
  await Promise.all(now.map(check));
  const checked = Promise.all(names.filter((n) => !now.includes(n)).map(check)).then(() => undefined);
  return { config, limiters, unavailable, pending, checked };
}
