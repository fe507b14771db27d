import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const MAX_LINES = 80;

/**
 * Functions over the limit when this check came in, with their length then. Each may only shrink
 * (split it and delete its line here); nothing new joins the list. Keyed by file and start line's
 * text so an unrelated edit above does not move the key.
 */
const KNOWN: Record<string, number> = {
  'exporter/probers/http/run.ts probe': 138,
  'exporter/probers/tcp/run.ts runTcp': 82,
};

function functionName(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

/** Every function (declarations, methods, arrows) in production code longer than MAX_LINES. */
function longFunctions(): Map<string, number> {
  const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f !== '' && !f.startsWith('test/') && !f.endsWith('.d.ts'));
  const out = new Map<string, number>();
  for (const file of files) {
    const src = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
        const first = src.getLineAndCharacterOfPosition(node.getStart(src)).line;
        const last = src.getLineAndCharacterOfPosition(node.end).line;
        if (last - first + 1 > MAX_LINES) out.set(`${file} ${functionName(node)}`, last - first + 1);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return out;
}

describe('function length', () => {
  it(`no new function over ${MAX_LINES} lines outside tests, and the known ones only shrink`, () => {
    const found = longFunctions();
    const grown = [...found].filter(([key, lines]) => !(key in KNOWN) || lines > KNOWN[key]!);
    expect(grown.map(([key, lines]) => `${key}: ${lines} lines`)).toEqual([]);
  });
});
