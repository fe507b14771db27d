import type { AgentView } from '../../client/api.js';
import type { ConnectionMode } from '../../lib/tunnel.js';

/**
 * One agent as the registry keeps it: what GET /agents/ shows (client/api.ts), less the state
 * now, plus when it was first seen and how it last reached the hub (absent in records from
 * before dial-out existed: direct).
 */
export interface AgentRecord extends Omit<AgentView, 'active' | 'connection'> {
  first_seen: string;
  mode?: ConnectionMode;
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
