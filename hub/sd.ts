import type { ProbeJob } from '../lib/config/targets.js';
import { type AgentView, connectionMode } from './registry.js';
import { matchesSelector } from './selector.js';

/** Where Prometheus reaches this hub's users' port: what it used to ask for /sd. */
export interface HubOrigin {
  /** host:port */
  address: string;
  scheme: 'http' | 'https';
}

export interface SdGroup {
  targets: string[];
  labels: Record<string, string>;
}

/**
 * Prometheus http_sd: one group per active agent × job × probe target. The group's address is
 * the agent and its labels carry everything the scrape needs (module, target, scheme, path), so
 * a scrape config needs no relabelling. `instance` is the probed target, as blackbox users
 * relabel it; `agent` tells the vantage points apart.
 */
export function buildSd(jobs: ProbeJob[], agents: AgentView[], onlyJob?: string, hub?: HubOrigin): SdGroup[] {
  const groups: SdGroup[] = [];
  for (const job of jobs) {
    if (onlyJob !== undefined && job.name !== onlyJob) continue;
    for (const agent of agents) {
      if (!agent.active || !matchesSelector(job.agents, agent)) continue;
      const where = scrapeAddress(agent, hub);
      if (!where) continue;
      for (const target of job.targets) {
        groups.push({
          targets: [where.address],
          labels: {
            ...userLabels(job.labels),
            ...userLabels(agent.labels),
            __scheme__: where.scheme,
            __metrics_path__: where.probePath,
            ...(where.metricsPath ? { __pulse_metrics_path__: where.metricsPath } : {}),
            __param_module: job.module,
            __param_target: target,
            job: job.name,
            agent: agent.name,
            instance: target,
          },
        });
      }
    }
  }
  return groups;
}

/**
 * A direct agent is scraped where it listens. A dial-out agent is scraped through the hub's
 * relay, and says where its own /metrics are relayed (`__pulse_metrics_path__`, which the shipped
 * prometheus.yml puts in place for the exporters' job).
 */
function scrapeAddress(agent: AgentView, hub: HubOrigin | undefined): { address: string; scheme: string; probePath: string; metricsPath?: string } | undefined {
  if (connectionMode(agent) === 'dial-out') {
    if (!hub) return undefined;
    const base = `/agents/${encodeURIComponent(agent.name)}`;
    return { address: hub.address, scheme: hub.scheme, probePath: `${base}/probe`, metricsPath: `${base}/metrics` };
  }
  try {
    const url = new URL(agent.url);
    return { address: url.host, scheme: url.protocol.replace(/:$/, ''), probePath: '/probe' };
  } catch {
    return undefined;
  }
}

/** Labels from config or agents must not set Prometheus's reserved `__` labels. */
function userLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
}
