import type { ExporterSettings } from '../../lib/config/exporter.js';
import { parseListen } from '../../lib/listen.js';
import { compilePolicy, type TargetPolicy } from './policy.js';

const compiled = new WeakMap<ExporterSettings, TargetPolicy>();

/** This exporter's own ports: where it listens, and its hub's (the agents' port it dials). */
export function ownPorts(exporter: ExporterSettings): number[] {
  const ports: number[] = [];
  try {
    ports.push(parseListen(exporter.listen).port);
  } catch {
    // A bad listen address is refused elsewhere; the policy just lacks the port.
  }
  if (exporter.hub) {
    const u = new URL(exporter.hub.url);
    ports.push(Number(u.port || 443));
  }
  return ports.filter((p) => p > 0);
}

/**
 * The policy a probe runs under: always for the hub's runs (/api/v1/run), for Prometheus' /probe
 * unless target_policy.apply_to_probe is false. Compiled once per loaded config.
 */
export function policyFor(exporter: ExporterSettings, fromPrometheus: boolean): TargetPolicy | undefined {
  if (fromPrometheus && exporter.target_policy?.apply_to_probe === false) return undefined;
  let p = compiled.get(exporter);
  if (!p) {
    p = compilePolicy(exporter.target_policy, ownPorts(exporter));
    compiled.set(exporter, p);
  }
  return p;
}
