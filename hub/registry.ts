import type { AgentAnnouncement } from '../lib/wire.js';
import type { AgentRecord, AgentStore } from './store/types.js';

/** An agent as the API shows it: the stored record (less first_seen) plus its state now. */
export type AgentView = Omit<AgentRecord, 'first_seen'> & { active: boolean };

export type AgentState = 'active' | 'inactive' | 'refused';

export function agentState(view: AgentView): AgentState {
  return view.refused !== null ? 'refused' : view.active ? 'active' : 'inactive';
}

/** The fleet: who announced what, when. Active means accepted and heard from recently. */
export class Registry {
  private readonly agents = new Map<string, AgentRecord>();
  /** Bumped whenever what /sd shows may have changed; see sdVersion(). */
  private version = 0;
  /** Agents counted active at the current version, and when the first of them may expire. */
  private readonly activeAtVersion = new Set<string>();
  private nextExpiry = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: AgentStore,
    private readonly inactiveAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async init(): Promise<void> {
    this.replaceAll(await this.store.load());
    await this.store.watch?.({ changed: (name, rec) => this.applyShared(name, rec), reload: (recs) => this.replaceAll(recs) });
  }

  /** Takes the store's whole registry as it is now (at start, and after a shared store's gap). */
  private replaceAll(records: AgentRecord[]): void {
    this.agents.clear();
    for (const rec of records) this.agents.set(rec.name, rec);
    this.version++;
    this.activeAtVersion.clear();
    this.nextExpiry = Number.POSITIVE_INFINITY;
    const now = this.now();
    for (const rec of this.agents.values()) {
      if (rec.refused === null && now <= this.expiry(rec)) this.markActive(rec);
    }
  }

  /**
   * A number that changes whenever an agent's presence in /sd may have changed: a new agent, a
   * changed URL or labels, a refusal, an inactive agent heard from again, or an active agent
   * whose last heartbeat has aged past `agent_inactive_after`. Heartbeats that change nothing
   * keep it, so /sd's answer can be cached across them.
   */
  sdVersion(): number {
    const now = this.now();
    // Heartbeats only move expiries later, so nextExpiry is never later than the real first one.
    if (now > this.nextExpiry) this.expireInactive(now);
    return this.version;
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
    const known = prev !== undefined && this.activeAtVersion.has(name);
    if (!known || prev.url !== rec.url || JSON.stringify(prev.labels) !== JSON.stringify(rec.labels)) this.version++;
    this.markActive(rec);
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
    this.activeAtVersion.delete(name);
    this.version++;
    await this.store.put(rec);
  }

  /**
   * A change another hub made (or our own, coming back from a shared store). A copy older than the
   * one held (two heartbeats crossing) is ignored; /sd's version moves only if presence changed.
   */
  applyShared(name: string, rec: AgentRecord | null): void {
    const prev = this.agents.get(name);
    if (rec === null) {
      if (!prev) return;
      this.agents.delete(name);
      this.activeAtVersion.delete(name);
      this.version++;
      return;
    }
    if (prev && Date.parse(prev.last_seen) > Date.parse(rec.last_seen)) return;
    this.agents.set(name, rec);
    const wasActive = this.activeAtVersion.has(name);
    if (rec.refused === null && this.now() <= this.expiry(rec)) {
      if (!wasActive || prev?.url !== rec.url || JSON.stringify(prev.labels) !== JSON.stringify(rec.labels)) this.version++;
      this.markActive(rec);
    } else if (wasActive) {
      this.activeAtVersion.delete(name);
      this.version++;
    }
  }

  list(): AgentView[] {
    return [...this.agents.values()].map((r) => this.view(r)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Forgets one agent (DELETE /agents/NAME); false when the hub does not know it. */
  async remove(name: string): Promise<boolean> {
    if (!this.agents.delete(name)) return false;
    this.activeAtVersion.delete(name);
    this.version++;
    await this.store.remove(name);
    return true;
  }

  /** Forgets agents not heard from for longer than `afterMs` (hub.agent_forget_after); returns their names. */
  async forgetSilent(afterMs: number): Promise<string[]> {
    const before = this.now() - afterMs;
    const names = [...this.agents.values()].filter((r) => Date.parse(r.last_seen) < before).map((r) => r.name);
    for (const name of names) await this.remove(name);
    return names;
  }

  private expiry(r: AgentRecord): number {
    return Date.parse(r.last_seen) + this.inactiveAfterMs;
  }

  private markActive(r: AgentRecord): void {
    this.activeAtVersion.add(r.name);
    this.nextExpiry = Math.min(this.nextExpiry, this.expiry(r));
  }

  private expireInactive(now: number): void {
    let next = Number.POSITIVE_INFINITY;
    for (const name of this.activeAtVersion) {
      const r = this.agents.get(name);
      const expiry = r ? this.expiry(r) : Number.NEGATIVE_INFINITY;
      if (now > expiry) {
        this.activeAtVersion.delete(name);
        this.version++;
      } else {
        next = Math.min(next, expiry);
      }
    }
    this.nextExpiry = next;
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
