import type { AgentAnnouncement } from '../lib/wire.js';
import type { AgentRecord, AgentStore } from './store/types.js';

/** An agent as the API shows it: the stored record plus its state now. */
export interface AgentView {
  name: string;
  labels: Record<string, string>;
  url: string;
  version: string;
  protocol: number;
  probers: string[];
  ip_versions: number[];
  active: boolean;
  last_seen: string;
  refused: string | null;
}

export type AgentState = 'active' | 'inactive' | 'refused';

export function agentState(view: AgentView): AgentState {
  return view.refused !== null ? 'refused' : view.active ? 'active' : 'inactive';
}

/** The fleet: who announced what, when. Active means accepted and heard from recently. */
export class Registry {
  private readonly agents = new Map<string, AgentRecord>();

  constructor(
    private readonly store: AgentStore,
    private readonly inactiveAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async init(): Promise<void> {
    for (const rec of await this.store.load()) this.agents.set(rec.name, rec);
  }

  async accept(name: string, ann: AgentAnnouncement): Promise<AgentView> {
    const at = new Date(this.now()).toISOString();
    const prev = this.agents.get(name);
    const rec: AgentRecord = {
      name,
      labels: ann.labels,
      url: ann.url,
      version: ann.version,
      protocol: ann.protocol,
      probers: ann.probers,
      ip_versions: ann.ip_versions,
      first_seen: prev?.first_seen ?? at,
      last_seen: at,
      refused: null,
    };
    this.agents.set(name, rec);
    await this.store.put(rec);
    return this.view(rec);
  }

  /** Records a refused announcement so /agents/ shows why; the agent stays inactive. */
  async refuse(name: string, reason: string, seen: { protocol?: number; version?: string }): Promise<void> {
    const at = new Date(this.now()).toISOString();
    const prev = this.agents.get(name);
    const rec: AgentRecord = {
      name,
      labels: prev?.labels ?? {},
      url: prev?.url ?? '',
      version: seen.version ?? prev?.version ?? '',
      protocol: seen.protocol ?? prev?.protocol ?? 0,
      probers: prev?.probers ?? [],
      ip_versions: prev?.ip_versions ?? [],
      first_seen: prev?.first_seen ?? at,
      last_seen: at,
      refused: reason,
    };
    this.agents.set(name, rec);
    await this.store.put(rec);
  }

  list(): AgentView[] {
    return [...this.agents.values()].map((r) => this.view(r)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private view(r: AgentRecord): AgentView {
    const age = this.now() - Date.parse(r.last_seen);
    return {
      name: r.name,
      labels: r.labels,
      url: r.url,
      version: r.version,
      protocol: r.protocol,
      probers: r.probers,
      ip_versions: r.ip_versions,
      active: r.refused === null && age <= this.inactiveAfterMs,
      last_seen: r.last_seen,
      refused: r.refused,
    };
  }
}
