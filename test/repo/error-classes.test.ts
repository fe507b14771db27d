import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/**
 * Every error class in production code carries a stable PULSE_* code: it extends PulseError
 * (lib/errors.ts), directly or through another Pulse error class. The two exceptions are the
 * base itself and HubApiError, which relays the hub's own code.
 */
const ROOTS = new Set(['lib/errors.ts PulseError', 'client/errors.ts HubApiError']);

describe('error classes', () => {
  it('every class that extends Error is a PulseError', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f !== '' && !f.startsWith('test/') && !f.endsWith('.d.ts'));
    const parents = new Map<string, { file: string; parent: string }>();
    for (const file of files) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/class\s+(\w+)\s+extends\s+(\w+)/g)) {
        parents.set(m[1]!, { file, parent: m[2]! });
      }
    }
    const uncoded: string[] = [];
    for (const [name, { file }] of parents) {
      if (ROOTS.has(`${file} ${name}`)) continue;
      let at = name;
      const seen = new Set<string>();
      while (parents.has(at) && at !== 'PulseError' && !seen.has(at)) {
        seen.add(at);
        at = parents.get(at)!.parent;
      }
      // Classes that extend something other than an Error (a stream, an EventEmitter) are not errors.
      if (at.endsWith('Error') && at !== 'PulseError') uncoded.push(`${file} ${name} extends ${at}`);
    }
    expect(uncoded).toEqual([]);
    expect(parents.get('ProbeAborted')?.parent).toBe('PulseError');
  });
});

describe('docs/errors.md', () => {
  it('lists every code with its status', async () => {
    const { ERROR_STATUS } = await import('../../lib/errors.js');
    const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
    const missing = Object.entries(ERROR_STATUS).filter(([code, status]) => !doc.includes(`| \`${code}\` | ${status} |`));
    expect(missing).toEqual([]);
  });
});
