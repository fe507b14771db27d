import type { ProbeJob } from '../lib/config/targets.js';
import type { Registry } from './registry.js';
import { buildSd, type HubOrigin } from './sd.js';

/**
 * /sd's answer, serialized once per `job` query and kept until the agents or the jobs change.
 * Building and serializing tens of thousands of groups took over 100 ms per request; Prometheus
 * asks every refresh_interval, and the answer only changes when an agent appears, changes its URL
 * or labels, or turns active or inactive (Registry.sdVersion()).
 */
const MAX_ANSWERS = 64;

export class SdCache {
  private version = -1;
  private jobs: ProbeJob[] | undefined;
  private readonly answers = new Map<string, Buffer>();

  constructor(private readonly registry: Registry) {}

  /**
   * The JSON for `onlyJob` (a job that exists) or for all jobs; dial-out agents' targets point at
   * `hub`, so answers are kept per origin too (a few at most: the hub's names Prometheus uses).
   */
  get(jobs: ProbeJob[], onlyJob?: string, hub?: HubOrigin): Buffer {
    const version = this.registry.sdVersion();
    if (version !== this.version || jobs !== this.jobs) {
      this.answers.clear();
      this.version = version;
      this.jobs = jobs;
    }
    const key = `${hub ? `${hub.scheme}://${hub.address}` : ''} ${onlyJob === undefined ? '' : `job:${onlyJob}`}`;
    const cached = this.answers.get(key);
    if (cached) return cached;
    // Host headers are the client's to choose: a client sending many must not grow this map.
    if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
    const answer = Buffer.from(JSON.stringify(buildSd(jobs, this.registry.list(), onlyJob, hub)));
    // An agent that expired while the answer was built is in the version now: do not keep it.
    if (this.registry.sdVersion() === version) this.answers.set(key, answer);
    return answer;
  }
}
