import { execa } from 'execa';
import { C_LOCALE, type ToolCommand } from './command.js';

export interface PingRun {
  stdout: string;
  stderr: string;
  exitCode?: number;
  /** Spawn until ping's banner: its socket is open (blackbox's `setup` phase). */
  setupSeconds?: number;
  /** The binary does not exist. */
  missing: boolean;
  /** Stopped by Pulse (its time budget or the probe's timeout) rather than finishing its count. */
  interrupted: boolean;
}

/**
 * Runs ping until it has its replies or the budget is spent. SIGINT, not SIGTERM, stops it: on
 * SIGINT ping still prints its summary, so a cut-short probe keeps every reply it had.
 */
export async function runPing(cmd: ToolCommand, args: string[], budgetSeconds: number, signal: AbortSignal): Promise<PingRun> {
  const started = performance.now();
  const sub = execa(cmd.file, [...(cmd.args ?? []), ...args], {
    reject: false,
    stdin: 'ignore',
    env: { ...cmd.env, ...C_LOCALE },
    cancelSignal: signal,
    killSignal: 'SIGINT',
    forceKillAfterDelay: 1000,
  });
  let setupSeconds: number | undefined;
  sub.stdout?.once('data', () => {
    setupSeconds = (performance.now() - started) / 1000;
  });
  let interrupted = false;
  const timer = setTimeout(
    () => {
      interrupted = true;
      sub.kill('SIGINT');
    },
    Math.max(1, budgetSeconds * 1000),
  );
  try {
    const r = await sub;
    const run: PingRun = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      missing: r.failed && r.code === 'ENOENT',
      interrupted: interrupted || r.isCanceled,
    };
    if (r.exitCode !== undefined) run.exitCode = r.exitCode;
    if (setupSeconds !== undefined) run.setupSeconds = setupSeconds;
    return run;
  } finally {
    clearTimeout(timer);
  }
}
