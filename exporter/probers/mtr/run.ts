import { execa } from 'execa';
import { C_LOCALE, type ToolCommand } from '../icmp/command.js';

export interface MtrRun {
  stdout: string;
  stderr: string;
  exitCode?: number;
  missing: boolean;
  /** Stopped by Pulse before mtr finished its cycles. */
  interrupted: boolean;
}

/**
 * Runs mtr; stops it (SIGTERM) when its budget is spent or the probe is cancelled. Raw output is
 * flushed line by line, so whatever arrived before the stop is kept.
 */
export async function runMtr(cmd: ToolCommand, args: string[], budgetSeconds: number, signal: AbortSignal): Promise<MtrRun> {
  const sub = execa(cmd.file, [...(cmd.args ?? []), ...args], {
    reject: false,
    stdin: 'ignore',
    env: { ...cmd.env, ...C_LOCALE },
    cancelSignal: signal,
    forceKillAfterDelay: 1000,
  });
  let interrupted = false;
  const timer = setTimeout(
    () => {
      interrupted = true;
      sub.kill('SIGTERM');
    },
    Math.max(1, budgetSeconds * 1000),
  );
  try {
    const r = await sub;
    const run: MtrRun = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      missing: r.failed && r.code === 'ENOENT',
      interrupted: interrupted || r.isCanceled,
    };
    if (r.exitCode !== undefined) run.exitCode = r.exitCode;
    return run;
  } finally {
    clearTimeout(timer);
  }
}

const PRIVILEGE_HINT =
  'mtr cannot open raw sockets: mtr-packet needs CAP_NET_RAW (Debian sets it: setcap cap_net_raw+ep /usr/bin/mtr-packet) or root';

/** A reason from mtr's stderr when it could not trace at all. */
export function mtrFailureReason(stderr: string, exitCode: number | undefined): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const said = lines.join('; ');
  if (/Failure to (open|start)|Permission denied|Operation not permitted/i.test(said)) return `${PRIVILEGE_HINT} (mtr said: ${said})`;
  if (said !== '') return `mtr failed: ${said}`;
  return `mtr exited with code ${exitCode ?? 'unknown'} and printed nothing`;
}
