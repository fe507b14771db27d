import type { ConnectionMode } from '../../lib/tunnel.js';

/** One agent as the registry keeps it. */
export interface AgentRecord {
  /** The CN of the agent's client certificate. */
  name: string;
  labels: Record<string, string>;
  url: string;
  version: string;
  protocol: number;
  probers: string[];
  ip_versions: number[];
  first_seen: string;
  last_seen: string;
  /** How the agent last reached the hub; absent in records from before dial-out existed (direct). */
  mode?: ConnectionMode;
  /** Why the hub refused the agent's last announcement (e.g. protocol mismatch), or null. */
  refused: string | null;
  /** What the agent reported about itself (absent from older agents). */
  resolvers?: string[];
  addresses?: string[];
  /** The address the hub saw the agent connect from, and that address's network. */
  public_address?: string;
  asn?: string;
  as_name?: string;
}

/**
 * Where the registry persists agents. The file store is the default; a shared store (Redis) can
 * implement the same three calls so several hubs see one fleet.
 */
export interface AgentStore {
  load(): Promise<AgentRecord[]>;
  /** A shared store tells the registry about changes other hubs made (see AgentChanges). */
  watch?(changes: AgentChanges): Promise<void>;
  put(record: AgentRecord): Promise<void>;
  /** Forgets the agent; no error when it is not there. */
  remove(name: string): Promise<void>;
  close(): Promise<void>;
}

/** What a shared store reports: one agent changed (null: forgotten), or everything anew after a gap. */
export interface AgentChanges {
  changed(name: string, record: AgentRecord | null): void;
  reload(records: AgentRecord[]): void;
}
