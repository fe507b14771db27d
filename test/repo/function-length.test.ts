import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const MAX_LINES = 80;

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
  it(`no function over ${MAX_LINES} lines outside tests`, () => {
    const found = longFunctions();
    expect([...found].map(([key, lines]) => `${key}: ${lines} lines`)).toEqual([]);
  });
});
