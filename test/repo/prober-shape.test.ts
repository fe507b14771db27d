import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROBERS } from '../../lib/probers/builtin.js';

const root = join(import.meta.dirname, '../..');
const probers = join(root, 'exporter/probers');

/** The three host checks share one folder (and one options file, one details file): their path policy. */
const FAMILY: Record<string, string> = { file_exists: 'host', file_contains: 'host', process_running: 'host' };
const RUN_FILES: Record<string, string> = { file_exists: 'file-exists.ts', file_contains: 'file-contains.ts', process_running: 'process-running.ts' };

/**
 * The one prober shape docs/architecture.md describes: the options schema, the details schema,
 * an entry file with the Prober, and a folder with the I/O (`run.ts`) and the metrics beside the
 * pure parts; what two probers share lives in probers/shared/ only.
 */
describe('one prober shape', () => {
  for (const name of Object.keys(BUILTIN_PROBERS)) {
    it(`${name} has the files of a prober`, () => {
      const folder = FAMILY[name] ?? name;
      const want = [
        `lib/config/probers/${folder}.ts`,
        `lib/probers/details/${folder}.ts`,
        `exporter/probers/${folder}.ts`,
        `exporter/probers/${folder}/${RUN_FILES[name] ?? 'run.ts'}`,
        `exporter/probers/${folder}/metrics.ts`,
      ];
      expect(want.filter((f) => !existsSync(join(root, f)))).toEqual([]);
    });
  }

  it('a prober folder imports from no other prober folder, only from probers/shared/', () => {
    const folders = readdirSync(probers, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'shared');
    const crossing: string[] = [];
    for (const d of [...folders, { name: 'shared' }]) {
      for (const file of readdirSync(join(probers, d.name)).filter((f) => f.endsWith('.ts'))) {
        const path = join(probers, d.name, file);
        for (const m of readFileSync(path, 'utf8').matchAll(/from '(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
          const target = relative(probers, normalize(join(dirname(path), m[1] ?? m[2]!)));
          const top = target.split('/')[0]!;
          // Inside its own folder, into shared/, or out of exporter/probers/ altogether.
          if (top !== d.name && top !== 'shared' && !target.startsWith('..')) crossing.push(`${d.name}/${file} → ${target}`);
        }
      }
    }
    expect(crossing).toEqual([]);
  });
});
