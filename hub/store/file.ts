import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import { usableAgentRecords } from './agent-record.js';
import type { AgentRecord, AgentStore } from './types.js';

const FILE_VERSION = 1;
/** How long a heartbeat (a record whose only change is last_seen) may wait in memory for the file. */
export const HEARTBEAT_WRITE_MS = 5000;

/**
 * The registry as one JSON file, rewritten whole on change (temp file + rename, so a crash leaves
 * either the old or the new file). Writes are coalesced: changes arriving during a write are
 * flushed by one more write, never by one write each. A heartbeat that changes nothing but
 * last_seen is kept in memory and written with the next write, at the latest HEARTBEAT_WRITE_MS
 * later: rewriting the whole file per heartbeat was 6.5% of a busy hub's CPU. A crash loses at
 * most those last few seconds of last_seen, never an agent, a refusal or a forget.
 */
export class FileAgentStore implements AgentStore {
  readonly file: string;
  private readonly records = new Map<string, AgentRecord>();
  private writing: Promise<void> | undefined;
  private dirty = false;
  /** Heartbeats not on disk yet, and the timer that writes them. */
  private lazy: NodeJS.Timeout | undefined;

  constructor(
    dataDir: string,
    /** Told when a corrupt file was set aside; the hub then starts with an empty registry. */
    private readonly onCorrupt: (message: string) => void = (m) => process.emitWarning(m, 'PulseRegistryWarning'),
    private readonly heartbeatWriteMs = HEARTBEAT_WRITE_MS,
  ) {
    this.file = join(dataDir, 'agents.json');
  }

  async load(): Promise<AgentRecord[]> {
    const text = await readTextIfExists(this.file);
    if (text === undefined) return [];
    let parsed: { version?: number; agents?: unknown[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
      if (!parsed || typeof parsed !== 'object') throw new Error('not a JSON object');
    } catch (err) {
      // Agents re-register within a heartbeat: losing the file costs little, refusing to start a lot.
      // The bad file is kept for a post-mortem, never overwritten.
      const copy = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await copyFile(this.file, copy);
      this.onCorrupt(`${this.file} is not valid JSON (${(err as Error).message}); kept it as ${copy} and started with no agents`);
      return [];
    }
    // A file from another version is not guessed at (it may come from a newer Pulse): refuse it by name.
    if (parsed.version !== FILE_VERSION || !Array.isArray(parsed.agents)) {
      throw new Error(`${this.file}: not a Pulse agent registry (version ${String(parsed.version)})`);
    }
    for (const a of usableAgentRecords(parsed.agents, this.file, this.onCorrupt)) this.records.set(a.name, a);
    return [...this.records.values()];
  }

  put(record: AgentRecord): Promise<void> {
    const prev = this.records.get(record.name);
    this.records.set(record.name, record);
    if (prev && onlyLastSeenChanged(prev, record)) {
      this.lazy ??= setTimeout(() => {
        this.lazy = undefined;
        this.dirty = true;
        // Nobody awaits this write: a failure is reported the way a bad file is, and the next change retries.
        this.kick().catch((err: unknown) => this.onCorrupt(`writing ${this.file} failed: ${(err as Error).message}`));
      }, this.heartbeatWriteMs).unref();
      return Promise.resolve();
    }
    this.dirty = true;
    return this.kick();
  }

  remove(name: string): Promise<void> {
    if (!this.records.delete(name)) return this.writing ?? Promise.resolve();
    this.dirty = true;
    return this.kick();
  }

  /**
   * Resolves once everything put so far is on disk. A put landing after the write loop saw the
   * last change but before `writing` was cleared would otherwise wait on a write without it.
   */
  private kick(): Promise<void> {
    if (!this.writing) {
      const w = this.flush().finally(() => {
        if (this.writing === w) this.writing = undefined;
      });
      this.writing = w;
    }
    return this.writing.then(() => (this.dirty ? this.kick() : undefined));
  }

  private async flush(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      // This write carries the heartbeats waiting in memory too.
      clearTimeout(this.lazy);
      this.lazy = undefined;
      // Code-unit order, not localeCompare: the file's order only has to be stable, and ICU
      // collation of 1,000 names per write was most of the sort.
      const agents = [...this.records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      await writeFileAtomic(this.file, `${JSON.stringify({ version: FILE_VERSION, agents }, null, 2)}\n`);
    }
  }

  async close(): Promise<void> {
    if (this.lazy) {
      clearTimeout(this.lazy);
      this.lazy = undefined;
      this.dirty = true;
    }
    if (this.writing || this.dirty) await this.kick();
  }
}

/** True when `next` differs from `prev` in last_seen alone (a heartbeat that changed nothing else). */
function onlyLastSeenChanged(prev: AgentRecord, next: AgentRecord): boolean {
  return JSON.stringify({ ...prev, last_seen: '' }) === JSON.stringify({ ...next, last_seen: '' });
}
