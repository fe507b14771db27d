import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { certsCommand } from '../../cli/certs.js';
import { opCommand } from '../../cli/op.js';
import { createProgram } from '../../cli/program.js';
import { tokensCommand } from '../../cli/tokens.js';

const root = join(import.meta.dirname, '../..');
const pages = ['README.md', 'CONFIGURATION.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const BIN: Record<string, string> = { 'pulse-hub': 'dist/hub/main.js', 'pulse-exporter': 'dist/exporter/main.js' };
const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console']);

/** Every `pulse`, `pulse-hub` or `pulse-exporter` command line in a shell (or plain) code block. */
function docCommands(): Array<{ page: string; line: string }> {
  const out: Array<{ page: string; line: string }> = [];
  for (const page of pages) {
    let fence: string | undefined;
    for (const raw of readFileSync(join(root, page), 'utf8').split('\n')) {
      const open = /^```(\w*)/.exec(raw);
      if (open) {
        fence = fence === undefined ? open[1]! : undefined;
        continue;
      }
      if (fence === undefined || !SHELL_FENCES.has(fence)) continue;
      const line = raw.trim().replace(/^\$\s+/, '').replace(/\s+#\s.*$/, '');
      // A synopsis ("pulse op FILE [--wait]") is not a command to run.
      if (/^(npx )?pulse(-hub|-exporter)? /.test(line) && !line.includes('[')) out.push({ page, line });
    }
  }
  return out;
}

/** The `pulse` program as cli/main.ts builds it, to look commands and options up without running it. */
function pulseProgram(): Command {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const io = { stdout: sink, stderr: sink } as never;
  return createProgram(io, { exit: 0 }, [certsCommand(), tokensCommand(), opCommand(io, () => {})]);
}

function optionNames(cmd: Command): string[] {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)).concat(['-h', '--help']);
}

/** The options pulse-hub and pulse-exporter list in --help (their programs are built inside main). */
async function helpFlags(program: string): Promise<Set<string>> {
  const r = await execa('node', [join(root, BIN[program]!), '--help'], { reject: false });
  return new Set([...r.stdout.matchAll(/(?:^|[\s,])(--?[a-zA-Z][\w-]*)/gm)].map((m) => m[1]!));
}

/** What is wrong with one documented command line: options its command does not have. */
function problems(line: string, pulse: Command, servers: Record<string, Set<string>>): string[] {
  const words = line.split(/\s+(?:\||&&|&|>|;).*$/)[0]!.split(/\s+/);
  if (words[0] === 'npx') words.shift();
  const program = words.shift()!;
  let known = servers[program];
  let name = program;
  if (program === 'pulse') {
    let cmd = pulse;
    for (let sub = cmd.commands.find((c) => c.name() === words[0]); sub; sub = cmd.commands.find((c) => c.name() === words[0])) {
      cmd = sub;
      words.shift();
      name += ` ${sub.name()}`;
    }
    known = new Set([...optionNames(cmd), ...optionNames(pulse), '-V', '--version']);
  }
  return words
    .filter((w) => /^--?[a-zA-Z]/.test(w))
    .map((w) => w.split('=')[0]!)
    .filter((f) => !known?.has(f))
    .map((f) => `${name} has no option ${f}`);
}

describe('commands in the docs', () => {
  it('every pulse, pulse-hub and pulse-exporter command in a code block names options its --help lists', async () => {
    const found = docCommands();
    expect(found.length).toBeGreaterThan(10);
    const [hub, exporter] = await Promise.all([helpFlags('pulse-hub'), helpFlags('pulse-exporter')]);
    const pulse = pulseProgram();
    const wrong = found.flatMap(({ page, line }) => problems(line, pulse, { 'pulse-hub': hub, 'pulse-exporter': exporter }).map((p) => `${page}: ${line}: ${p}`));
    expect(wrong).toEqual([]);
  }, 30_000);
});
