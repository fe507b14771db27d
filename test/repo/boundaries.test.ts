import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/**
 * Which top-level folder may not import which (docs/architecture.md, "Who owns what"): the hub and
 * the CLI meet only through client/ and lib/; client/ is bundled into the web page and so stands
 * on lib/ alone.
 */
const FORBIDDEN: Record<string, readonly string[]> = {
  hub: ['cli'],
  cli: ['hub'],
  client: ['hub', 'cli', 'exporter'],
};

/** Every relative import specifier of a file (static, re-exports, dynamic import(), type-only), resolved to a repo path. */
function importsOf(file: string, text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => normalize(join(dirname(file), spec)));
}

function crossings(files: string[], read: (file: string) => string): string[] {
  const out: string[] = [];
  for (const file of files) {
    const banned = FORBIDDEN[file.split('/')[0] ?? ''];
    if (!banned) continue;
    for (const target of importsOf(file, read(file))) {
      const top = target.split('/')[0] ?? '';
      if (banned.includes(top)) out.push(`${file} imports ${target}`);
    }
  }
  return out;
}

describe('folder boundaries', () => {
  it('hub/ and cli/ do not import each other, and client/ imports neither', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f !== '' && !f.endsWith('.d.ts'));
    expect(files.some((f) => f.startsWith('hub/ui/src/'))).toBe(true);
    expect(crossings(files, (f) => readFileSync(join(root, f), 'utf8'))).toEqual([]);
  });

  it('the scan sees every kind of import specifier', () => {
    const sources: Record<string, string> = {
      'hub/a.ts': "import { x } from '../cli/x.js';\nexport * from '../cli/y.js';",
      'hub/ui/src/b.ts': "import type { Row } from '../../../cli/core/api.js';",
      'cli/c.ts': "const m = await import('../hub/store/z.js');",
      'client/d.ts': "import { y } from '../lib/ok.js';\nimport { z } from '../hub/no.js';",
      'lib/e.ts': "import { w } from '../hub/anything.js';",
    };
    expect(crossings(Object.keys(sources), (f) => sources[f] ?? '')).toEqual([
      'hub/a.ts imports cli/x.js',
      'hub/a.ts imports cli/y.js',
      'hub/ui/src/b.ts imports cli/core/api.js',
      'cli/c.ts imports hub/store/z.js',
      'client/d.ts imports hub/no.js',
    ]);
  });
});
