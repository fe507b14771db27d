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
    for (const rec of await this.store.load()) this.agents.set(rec.name, rec);
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

  /**
   * `seen.public_address` is where the hub saw the announcement come from; the network found for
   * it (setNetwork) is kept while the address stays the same.
   */
  async accept(name: string, ann: AgentAnnouncement, seen: { public_address?: string } = {}): Promise<AgentView> {
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
      ...identity(ann, seen.public_address, prev),
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

  /** Records the network of an agent's public address, unless the agent has moved since the lookup. */
  async setNetwork(name: string, address: string, net: { asn: string; as_name: string } | undefined): Promise<void> {
    const rec = this.agents.get(name);
    if (!rec || rec.public_address !== address) return;
    if (net) {
      rec.asn = net.asn;
      rec.as_name = net.as_name;
    } else {
      delete rec.asn;
      delete rec.as_name;
    }
    await this.store.put(rec);
  }

  /** The agent's record as stored, for callers that need fields the view leaves out. */
  get(name: string): AgentView | undefined {
    const r = this.agents.get(name);
    return r ? this.view(r) : undefined;
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
      ...pick(r, ['resolvers', 'addresses', 'public_address', 'asn', 'as_name']),
    };
  }
}

type IdentityKey = 'resolvers' | 'addresses' | 'public_address' | 'asn' | 'as_name';

function pick(r: AgentRecord, keys: IdentityKey[]): Partial<Pick<AgentRecord, IdentityKey>> {
  const out: Partial<Pick<AgentRecord, IdentityKey>> = {};
  for (const k of keys) if (r[k] !== undefined) (out as Record<string, unknown>)[k] = r[k];
  return out;
}

/** The identity fields of a new record: what the agent said, where it came from, the network kept if it did not move. */
function identity(ann: AgentAnnouncement, address: string | undefined, prev: AgentRecord | undefined): Partial<Pick<AgentRecord, IdentityKey>> {
  const out: Partial<Pick<AgentRecord, IdentityKey>> = {};
  if (ann.resolvers) out.resolvers = ann.resolvers;
  if (ann.addresses) out.addresses = ann.addresses;
  const at = address ?? prev?.public_address;
  if (at !== undefined) out.public_address = at;
  if (prev && prev.public_address === at) {
    if (prev.asn !== undefined) out.asn = prev.asn;
    if (prev.as_name !== undefined) out.as_name = prev.as_name;
  }
  return out;
}
