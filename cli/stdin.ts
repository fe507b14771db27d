import type { Command } from 'commander';
import { EXIT, type ExitCode, type Io } from './context.js';
import { commandNames, runArgv } from './program.js';
import { splitWords } from './words.js';

/** `pulse [global options] -`: the last word is "-" and no command is named on the command line. */
export function isStdinMode(argv: readonly string[]): boolean {
  return argv.length > 0 && argv[argv.length - 1] === '-' && !argv.some((a) => commandNames().includes(a));
}

/**
 * Runs one command per line of standard input, as `werifyctl -` did, each with the global options
 * given on the command line. Every line runs even after a failure; the exit status is the worst.
 */
export async function runStdin(globalArgs: string[], io: Io, extra: () => Command[]): Promise<ExitCode> {
  const text = await io.readStdin();
  let worst: ExitCode = EXIT.OK;
  let first = true;
  const human = !globalArgs.includes('--json');
  for (const [i, line] of text.split('\n').entries()) {
    let words: string[] | undefined;
    try {
      words = splitWords(line);
    } catch (err) {
      io.stderr.write(`pulse: line ${i + 1}: ${(err as Error).message}\n`);
      worst = EXIT.USAGE;
      continue;
    }
    if (!words) continue;
    if (words.includes('-') && !words.some((w) => commandNames().includes(w))) {
      io.stderr.write(`pulse: line ${i + 1}: "-" cannot be nested\n`);
      worst = EXIT.USAGE;
      continue;
    }
    if (human) io.stdout.write(`${first ? '' : '\n'}# ${line.trim()}\n`);
    first = false;
    const code = await runArgv([...globalArgs, ...words], io, extra);
    worst = Math.max(worst, code) as ExitCode;
  }
  return worst;
}
