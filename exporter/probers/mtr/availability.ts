import { execa } from 'execa';
import { findExecutable, type ToolCommand } from '../shared/command.js';
import { mtrFailureReason } from './run.js';

/**
 * Why mtr cannot run here, or undefined. Asks mtr-packet (the helper mtr starts, which holds the
 * raw-socket privilege) a `check-support` question: it opens its sockets first, so a missing
 * privilege shows without a single packet sent.
 */
export async function mtrUnavailable(mtr: ToolCommand, mtrPacket: ToolCommand): Promise<string | undefined> {
  if (!(await findExecutable(mtr.file))) return `${mtr.file} not found: install mtr-tiny (Debian) for the mtr prober`;
  if (!(await findExecutable(mtrPacket.file))) return `${mtrPacket.file} not found: it ships with mtr-tiny (Debian)`;
  const r = await execa(mtrPacket.file, mtrPacket.args ?? [], {
    reject: false,
    input: '1 check-support feature send-probe\n',
    env: mtrPacket.env ?? {},
    timeout: 10_000,
  });
  if (/^1 feature-support support ok/m.test(String(r.stdout))) return undefined;
  return mtrFailureReason(String(r.stderr), r.exitCode);
}
