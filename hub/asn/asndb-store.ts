import { join } from 'node:path';
import { readTextIfExists, writeFileAtomic } from '../store/atomic-file.js';
import type { AsnDbEntry } from './asndb-schema.js';

/**
 * Where the operator's ASN names live. The file store is the default; a shared store (Redis)
 * can implement the same calls so several hubs share one list.
 */
export interface AsnDbStore {
  load(): Promise<AsnDbEntry[]>;
  save(entries: AsnDbEntry[]): Promise<void>;
}

const FILE_VERSION = 1;

/** `asndb.json` under the data directory, replaced whole (temp file, fsync, rename) on each change. */
export class FileAsnDbStore implements AsnDbStore {
  readonly file: string;
  private queue: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'asndb.json');
  }

  async load(): Promise<AsnDbEntry[]> {
    const text = await readTextIfExists(this.file);
    if (text === undefined) return [];
    const parsed = JSON.parse(text) as { version?: number; entries?: AsnDbEntry[] };
    // The operator typed these by hand: a file we cannot read is an error to fix, not to drop.
    if (parsed?.version !== FILE_VERSION || !Array.isArray(parsed.entries)) throw new Error(`${this.file}: not a Pulse ASN list (version ${String(parsed?.version)})`);
    return parsed.entries;
  }

  /** Writes one after another, so the file always ends with the last list saved. */
  save(entries: AsnDbEntry[]): Promise<void> {
    const next = this.queue.then(() => this.write(entries));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private write(entries: AsnDbEntry[]): Promise<void> {
    return writeFileAtomic(this.file, `${JSON.stringify({ version: FILE_VERSION, entries }, null, 2)}\n`);
  }
}

/** For tests and hubs without a data directory. */
export class MemoryAsnDbStore implements AsnDbStore {
  private entries: AsnDbEntry[] = [];
  async load(): Promise<AsnDbEntry[]> {
    return structuredClone(this.entries);
  }
  async save(entries: AsnDbEntry[]): Promise<void> {
    this.entries = structuredClone(entries);
  }
}
