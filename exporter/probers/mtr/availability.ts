import { spawn } from 'node:child_process';
import { findExecutable, type ToolCommand } from '../shared/command.js';
import { mtrFailureReason } from './mtr-process.js';

/**
 * Why mtr cannot run here, or undefined. Asks mtr-packet (the helper mtr starts, which holds the
 * raw-socket privilege) a `check-support` question: it opens its sockets first, so a missing
 * privilege shows without a single packet sent.
 */
export async function mtrUnavailable(mtr: ToolCommand, mtrPacket: ToolCommand): Promise<string | undefined> {
  if (!(await findExecutable(mtr.file))) return `${mtr.file} not found: install mtr-tiny (Debian) for the mtr prober`;
  if (!(await findExecutable(mtrPacket.file))) return `${mtrPacket.file} not found: it ships with mtr-tiny (Debian)`;
  const r = await ask(mtrPacket, '1 check-support feature send-probe\n', 10_000);
  if (/^1 feature-support support ok/m.test(r.stdout)) return undefined;
  return mtrFailureReason(r.stderr, r.exitCode);
}

/**
 * Runs a tool with `input` on stdin until it exits or `timeoutMs` passes. node:child_process, not
 * execa: this check runs at every start, and execa is megabytes an agent without mtr never needs.
 */
function ask(cmd: ToolCommand, input: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; exitCode?: number }> {
  return new Promise((resolve) => {
    const child = spawn(cmd.file, cmd.args ?? [], { env: { ...process.env, ...cmd.env }, stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.once('error', (err) => resolve({ stdout, stderr: stderr || err.message }));
    child.once('close', (code) => resolve({ stdout, stderr, ...(code === null ? {} : { exitCode: code }) }));
  });
}
