import { accessSync, constants, readFileSync } from 'node:fs';

/**
 * How the benchmark starts the exporter: as a user does, by executing the bin, so the V8 flags
 * on its `#!/usr/bin/env -S node ...` line apply (no NODE_OPTIONS). With extra node flags
 * (BENCH_PULSE_NODE_ARGS, e.g. --cpu-prof) it runs `node <the bin's flags> <extra> <entry>`
 * instead, the same process with the extra flags added; an entry that is not executable
 * (dist/exporter/main.js from tsc) runs under node too.
 */
export function pulseCommand(entry: string, nodeArgs: readonly string[], args: readonly string[]): { command: string; args: string[] } {
  if (nodeArgs.length === 0 && isExecutable(entry)) return { command: entry, args: [...args] };
  return { command: process.execPath, args: [...shebangNodeFlags(entry), ...nodeArgs, entry, ...args] };
}

/** The node flags on a script's first line: `#!/usr/bin/env -S node --a --b` gives [--a, --b]. */
export function shebangNodeFlags(file: string): string[] {
  const first = readFileSync(file, 'utf8').slice(0, 512).split('\n', 1)[0] ?? '';
  const m = /^#!\S*env\s+-S\s+node\s+(.*)$/.exec(first);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return readFileSync(file, 'utf8').startsWith('#!');
  } catch {
    return false;
  }
}
