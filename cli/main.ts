#!/usr/bin/env node
import { certsCommand } from './certs.js';
import type { Io } from './context.js';
import { opCommand } from './op.js';
import { runArgv } from './program.js';
import { isStdinMode, runStdin } from './stdin.js';
import { tokensCommand } from './tokens.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  // `pulse agents | head` closes the pipe early; that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const io: Io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin,
  };
  // A fresh certs command per parse: stdin mode parses one program per line.
  const setExit = (code: number) => {
    process.exitCode = Math.max(code, typeof process.exitCode === 'number' ? process.exitCode : 0);
  };
  const extra = () => [certsCommand(), tokensCommand(), opCommand(io, setExit)];
  const argv = process.argv.slice(2);
  const code = isStdinMode(argv) ? await runStdin(argv.slice(0, -1), io, extra) : await runArgv(argv, io, extra);
  // A certs or op subcommand may have set its own status.
  process.exitCode = Math.max(code, typeof process.exitCode === 'number' ? process.exitCode : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`pulse: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
