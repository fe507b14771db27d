import type { ProbeJob } from '../lib/config/targets.js';
import type { AgentView } from './registry.js';
import { matchesSelector } from './selector.js';

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
export function buildSd(jobs: ProbeJob[], agents: AgentView[], onlyJob?: string): SdGroup[] {
  const groups: SdGroup[] = [];
  for (const job of jobs) {
    if (onlyJob !== undefined && job.name !== onlyJob) continue;
    for (const agent of agents) {
      if (!agent.active || !matchesSelector(job.agents, agent)) continue;
      let url: URL;
      try {
        url = new URL(agent.url);
      } catch {
        continue;
      }
      for (const target of job.targets) {
        groups.push({
          targets: [url.host],
          labels: {
            ...userLabels(job.labels),
            ...userLabels(agent.labels),
            __scheme__: url.protocol.replace(/:$/, ''),
            __metrics_path__: '/probe',
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

/** Labels from config or agents must not set Prometheus's reserved `__` labels. */
function userLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
}
