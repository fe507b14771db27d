import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { addCsv } from './csv.js';
import { type AsnRangeIndex, AsnRangeIndexBuilder } from './range-index.js';

/** The npm data package the offline table comes from (CC BY 4.0: RouteViews, DB-IP, NRO). */
export const OFFLINE_PACKAGE = '@ip-location-db/asn';
/** The files read from it (or from `hub.asn.offline_dir`): IPv4 in numeric form parses fastest. */
export const OFFLINE_FILES = { v4: 'asn-ipv4-num.csv', v6: 'asn-ipv6.csv' } as const;

export interface OfflineLoad {
  index: AsnRangeIndex;
  dir: string;
  rows: number;
  /** Lines that were not a valid row (skipped). */
  bad: number;
  seconds: number;
}

/** Where the package's files are, or undefined when it is not installed (an optional dependency). */
export function offlinePackageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${OFFLINE_PACKAGE}/package.json`));
  } catch {
    return undefined;
  }
}

/** Reads both CSV files of `dir` into one index. */
export async function loadOfflineIndex(dir: string): Promise<OfflineLoad> {
  const started = performance.now();
  const builder = new AsnRangeIndexBuilder();
  const [v4, v6] = await Promise.all([readFile(join(dir, OFFLINE_FILES.v4), 'utf8'), readFile(join(dir, OFFLINE_FILES.v6), 'utf8')]);
  const a = addCsv(builder, v4, 4);
  const b = addCsv(builder, v6, 6);
  const index = builder.build();
  return { index, dir, rows: a.rows + b.rows, bad: a.bad + b.bad, seconds: (performance.now() - started) / 1000 };
}

/**
 * Loads the table on first use and keeps it: the hub pays the load (about a second, some MB)
 * only once someone asks, and an exporter never does. Concurrent first lookups share one load;
 * a failed load is retried on the next lookup rather than remembered forever.
 */
export class LazyOfflineIndex {
  private loading: Promise<OfflineLoad> | undefined;
  private loaded: OfflineLoad | undefined;

  constructor(private readonly dir: string | undefined) {}

  /** The index if it is loaded already: lets hot paths skip the promise. */
  get ready(): OfflineLoad | undefined {
    return this.loaded;
  }

  get(): Promise<OfflineLoad> {
    if (this.loaded) return Promise.resolve(this.loaded);
    if (!this.loading) {
      const dir = this.dir ?? offlinePackageDir();
      if (!dir) return Promise.reject(new Error(`the offline table is not installed (npm install ${OFFLINE_PACKAGE}) and hub.asn.offline_dir is not set`));
      this.loading = loadOfflineIndex(dir).then(
        (l) => {
          this.loaded = l;
          return l;
        },
        (err: Error) => {
          this.loading = undefined;
          throw new Error(`cannot load the offline table from ${dir}: ${err.message}`);
        },
      );
    }
    return this.loading;
  }
}
