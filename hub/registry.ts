import type { ConnectionMode, ConnectionView } from '../lib/tunnel.js';
import type { AgentAnnouncement } from '../lib/wire.js';
import type { AgentView } from '../client/api.js';
import { type AgentState, agentState } from '../client/rows.js';
import type { AgentRecord, AgentStore } from './store/types.js';

export type { AgentState, AgentView };
export { agentState };

/** How an agent is reached; views without a connection are direct. */
export function connectionMode(agent: { connection?: { mode: ConnectionMode } | undefined }): ConnectionMode {
  return agent.connection?.mode ?? 'direct';
}

/** The fleet: who announced what, when. Active means accepted and heard from recently. */
export class Registry {
  private readonly agents = new Map<string, AgentRecord>();
  /** Bumped whenever what /sd shows may have changed; see sdVersion(). */
  private version = 0;
  /** Agents counted active at the current version, and when the first of them may expire. */
  private readonly activeAtVersion = new Set<string>();
  private nextExpiry = Number.POSITIVE_INFINITY;
  /**
   * Live state, never stored: which dial-out agents have a tunnel to this hub (since when), when
   * the others lost theirs, and since when each direct agent has been heard from without a gap.
   * After a restart no tunnel exists until its agent dials again.
   */
  private readonly tunnels = new Map<string, number>();
  private readonly tunnelLost = new Map<string, number>();
  private readonly activeSince = new Map<string, number>();
  /** Dial-out agents whose tunnels end on another hub replica (shared store), since when. */
  private readonly remoteTunnels = new Map<string, number>();
  /** Told when this hub's own tunnel to an agent comes up or closes (a shared store publishes it). */
  private readonly tunnelListeners = new Set<(name: string, up: boolean) => void>();

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
      if (rec.refused === null && now <= this.expiry(rec)) {
        this.markActive(rec);
        this.activeSince.set(rec.name, Date.parse(rec.last_seen));
      }
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
  async accept(name: string, ann: AgentAnnouncement, mode: ConnectionMode = 'direct', seen: { public_address?: string } = {}): Promise<AgentView> {
    const now = this.now();
    const at = new Date(now).toISOString();
    const prev = this.agents.get(name);
    if (!prev || !this.isActive(prev, now)) this.activeSince.set(name, now);
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
      mode,
      ...identity(ann, seen.public_address, prev),
    };
    this.agents.set(name, rec);
    const known = prev !== undefined && this.activeAtVersion.has(name);
    const changed = prev?.url !== rec.url || prev.mode !== rec.mode || JSON.stringify(prev.labels) !== JSON.stringify(rec.labels);
    if (!known || changed) this.version++;
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
      ...(prev?.mode ? { mode: prev.mode } : {}),
    };
    this.agents.set(name, rec);
    this.activeAtVersion.delete(name);
    this.version++;
    await this.store.put(rec);
  }

  /** A dial-out agent's tunnel is up (call accept() with its announcement next). */
  tunnelUp(name: string): void {
    this.tunnels.set(name, this.now());
    this.tunnelLost.delete(name);
    this.version++;
    for (const l of this.tunnelListeners) l(name, true);
  }

  onTunnel(listener: (name: string, up: boolean) => void): void {
    this.tunnelListeners.add(listener);
  }

  /**
   * Another replica holds (true) or no longer holds (false) the agent's tunnel: it is active here
   * too while that lasts, and calls to it are routed there.
   */
  remoteTunnel(name: string, up: boolean): void {
    if (up === this.remoteTunnels.has(name)) return;
    if (up) {
      this.remoteTunnels.set(name, this.now());
      this.tunnelLost.delete(name);
    } else {
      this.remoteTunnels.delete(name);
      if (!this.tunnels.has(name)) this.tunnelLost.set(name, this.now());
    }
    const rec = this.agents.get(name);
    if (rec && this.isActive(rec, this.now())) this.markActive(rec);
    else this.activeAtVersion.delete(name);
    this.version++;
  }

  /** Its tunnel closed: the agent is inactive from now on, until it dials again. */
  tunnelDown(name: string): void {
    if (!this.tunnels.delete(name)) return;
    for (const l of this.tunnelListeners) l(name, false);
    if (this.remoteTunnels.has(name)) return;
    this.tunnelLost.set(name, this.now());
    this.activeAtVersion.delete(name);
    this.version++;
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

  /**
   * What a call to the agent needs (the relay asks for every scrape), without building the whole
   * view with its ISO dates: get() is for answers that show the agent.
   */
  reachable(name: string): { name: string; url: string; refused: string | null; active: boolean; connection: { mode: ConnectionMode } } | undefined {
    const r = this.agents.get(name);
    return r ? { name: r.name, url: r.url, refused: r.refused, active: this.isActive(r, this.now()), connection: { mode: r.mode ?? 'direct' } } : undefined;
  }

  /** The agent's record as stored, for callers that need fields the view leaves out. */
  get(name: string): AgentView | undefined {
    const r = this.agents.get(name);
    return r ? this.view(r) : undefined;
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
    this.activeSince.delete(name);
    this.tunnelLost.delete(name);
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

  /** When the agent turns inactive without news: never while its tunnel is up, at once without one. */
  private expiry(r: AgentRecord): number {
    if (r.mode === 'dial-out') return this.tunnels.has(r.name) || this.remoteTunnels.has(r.name) ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    return Date.parse(r.last_seen) + this.inactiveAfterMs;
  }

  private isActive(r: AgentRecord, now: number): boolean {
    return r.refused === null && now <= this.expiry(r);
  }

  private connection(r: AgentRecord, active: boolean): ConnectionView {
    const mode = r.mode ?? 'direct';
    let since: number;
    if (mode === 'dial-out') since = this.tunnels.get(r.name) ?? this.remoteTunnels.get(r.name) ?? this.tunnelLost.get(r.name) ?? Date.parse(r.last_seen);
    else if (active) since = this.activeSince.get(r.name) ?? Date.parse(r.last_seen);
    else since = Date.parse(r.last_seen) + (r.refused === null ? this.inactiveAfterMs : 0);
    return { mode, connected: active, since: new Date(since).toISOString() };
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
    const active = this.isActive(r, this.now());
    return {
      name: r.name,
      labels: r.labels,
      url: r.url,
      version: r.version,
      protocol: r.protocol,
      probers: r.probers,
      ip_versions: r.ip_versions,
      active,
      last_seen: r.last_seen,
      refused: r.refused,
      connection: this.connection(r, active),
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
