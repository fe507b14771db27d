import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AgentRecord, AgentStore } from './types.js';

const FILE_VERSION = 1;

/**
 * The registry as one JSON file, rewritten whole on change (temp file + rename, so a crash leaves
 * either the old or the new file). Writes are coalesced: heartbeats arriving during a write are
 * flushed by one more write, never by one write each.
 */
export class FileAgentStore implements AgentStore {
  readonly file: string;
  private readonly records = new Map<string, AgentRecord>();
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'agents.json');
  }

  async load(): Promise<AgentRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const parsed = JSON.parse(text) as { version?: number; agents?: AgentRecord[] };
    if (parsed.version !== FILE_VERSION || !Array.isArray(parsed.agents)) {
      throw new Error(`${this.file}: not a Pulse agent registry (version ${String(parsed.version)})`);
    }
    for (const a of parsed.agents) this.records.set(a.name, a);
    return [...this.records.values()];
  }

  put(record: AgentRecord): Promise<void> {
    this.records.set(record.name, record);
    this.dirty = true;
    if (!this.writing) {
      this.writing = this.flush().finally(() => {
        this.writing = undefined;
      });
    }
    return this.writing;
  }

  private async flush(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    while (this.dirty) {
      this.dirty = false;
      const agents = [...this.records.values()].sort((a, b) => a.name.localeCompare(b.name));
      const tmp = `${this.file}.tmp-${process.pid}`;
      await writeFile(tmp, `${JSON.stringify({ version: FILE_VERSION, agents }, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
    }
  }

  async close(): Promise<void> {
    await this.writing;
  }
}
