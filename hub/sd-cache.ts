import type { ProbeJob } from '../lib/config/targets.js';
import type { Registry } from './registry.js';
import { buildSd } from './sd.js';

/**
 * /sd's answer, serialized once per `job` query and kept until the agents or the jobs change.
 * Building and serializing tens of thousands of groups took over 100 ms per request; Prometheus
 * asks every refresh_interval, and the answer only changes when an agent appears, changes its URL
 * or labels, or turns active or inactive (Registry.sdVersion()).
 */
export class SdCache {
  private version = -1;
  private jobs: ProbeJob[] | undefined;
  private readonly answers = new Map<string, Buffer>();

  constructor(private readonly registry: Registry) {}

  /** The JSON for `onlyJob` (a job that exists) or for all jobs. */
  get(jobs: ProbeJob[], onlyJob?: string): Buffer {
    const version = this.registry.sdVersion();
    if (version !== this.version || jobs !== this.jobs) {
      this.answers.clear();
      this.version = version;
      this.jobs = jobs;
    }
    const key = onlyJob === undefined ? '' : `job:${onlyJob}`;
    const cached = this.answers.get(key);
    if (cached) return cached;
    const answer = Buffer.from(JSON.stringify(buildSd(jobs, this.registry.list(), onlyJob)));
    // An agent that expired while the answer was built is in the version now: do not keep it.
    if (this.registry.sdVersion() === version) this.answers.set(key, answer);
    return answer;
  }
}
