import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { pulseVersion } from '../lib/version.js';
import { registerHostSocketMetrics } from './sockets/self-metric.js';

/** The exporter's own metrics, in a registry of its own (never prom-client's global one). */
export function createSelfMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const probes = new Counter({
    name: 'pulse_exporter_probes_total',
    help: 'Probes run, by module, prober and result (success or failure)',
    labelNames: ['module', 'prober', 'result'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'pulse_exporter_requests_rejected_total',
    help: 'Probe requests refused before running, by error code (bad target, unknown module, overload...)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'pulse_exporter_probe_duration_seconds',
    help: 'How long probes took, by prober',
    labelNames: ['prober'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'pulse_exporter_probes_in_flight',
    help: 'Probes running now, by prober',
    labelNames: ['prober'] as const,
    registers: [registry],
  });
  const reloadOk = mirrored(registry, 'config_last_reload_successful', 'Whether the last configuration reload succeeded (1) or failed (0)');
  const reloadTime = mirrored(registry, 'config_last_reload_success_timestamp_seconds', 'Timestamp of the last successful configuration reload');
  // blackbox's own name, so an alert on unknown modules written for blackbox keeps working.
  const moduleUnknown = new Counter({ name: 'blackbox_module_unknown_total', help: 'Count of unknown modules requested by probes', registers: [registry] });
  const available = new Gauge({
    name: 'pulse_exporter_prober_available',
    help: 'Whether a prober can run on this machine (0: binary missing or not permitted; see the log)',
    labelNames: ['prober'] as const,
    registers: [registry],
  });
  const build = new Gauge({
    name: 'pulse_exporter_build_info',
    help: 'Pulse exporter version and the Node.js it runs on',
    labelNames: ['version', 'nodejs'] as const,
    registers: [registry],
  });
  build.set({ version: pulseVersion(), nodejs: process.version }, 1);
  registerHostSocketMetrics(registry);
  return { registry, probes, rejected, duration, inFlight, reloadOk, reloadTime, moduleUnknown, available };
}

export type SelfMetrics = ReturnType<typeof createSelfMetrics>;

/** The names blackbox_exporter gives its own health gauges, set alongside Pulse's. */
export const BLACKBOX_SELF_PREFIX = 'blackbox_exporter_';

/**
 * One gauge under two names, `pulse_exporter_<name>` and `blackbox_exporter_<name>`: rules and
 * dashboards written for blackbox's own health (config_last_reload_successful...) keep working.
 */
function mirrored(registry: Registry, name: string, help: string): { set(value: number): void } {
  const gauges = ['pulse_exporter_', BLACKBOX_SELF_PREFIX].map((prefix) => new Gauge({ name: `${prefix}${name}`, help, registers: [registry] }));
  return {
    set: (value) => {
      for (const g of gauges) g.set(value);
    },
  };
}
