import type { AgentRecord, AgentStore } from './types.js';

/** A store that forgets on restart: for tests and throwaway hubs. */
export class MemoryAgentStore implements AgentStore {
  private readonly records = new Map<string, AgentRecord>();

  async load(): Promise<AgentRecord[]> {
    return [...this.records.values()];
  }

  async put(record: AgentRecord): Promise<void> {
    this.records.set(record.name, structuredClone(record));
  }

  async remove(name: string): Promise<void> {
    this.records.delete(name);
  }

  async close(): Promise<void> {}
}
