import { C_LOCALE, type ToolCommand } from './command.js';

export interface ToolRun {
  stdout: string;
  stderr: string;
  exitCode?: number;
  /** Spawn until the first output (when asked for): the tool is past its setup. */
  firstOutputSeconds?: number;
  /** The binary does not exist. */
  missing: boolean;
  /** Stopped by Pulse (its time budget or the probe's timeout) rather than finishing on its own. */
  interrupted: boolean;
}

export interface ToolRunOptions {
  budgetSeconds: number;
  signal: AbortSignal;
  /** What stops the tool early, chosen so that it still prints what it has. */
  stopSignal: 'SIGINT' | 'SIGTERM';
  timeFirstOutput?: boolean;
}

/**
 * Runs an external tool (the command's own arguments first) in the C locale until it exits, its
 * budget is spent or the probe is cancelled; a tool that ignores the stop signal is killed a
 * second later. Whatever it printed is kept either way.
 */
export async function runTool(cmd: ToolCommand, args: string[], o: ToolRunOptions): Promise<ToolRun> {
  const started = performance.now();
  // Loaded on the first icmp or mtr probe: an agent that never runs a tool never loads execa.
  const { execa } = await import('execa');
  const sub = execa(cmd.file, [...(cmd.args ?? []), ...args], {
    reject: false,
    stdin: 'ignore',
    env: { ...cmd.env, ...C_LOCALE },
    cancelSignal: o.signal,
    killSignal: o.stopSignal,
    forceKillAfterDelay: 1000,
  });
  let firstOutputSeconds: number | undefined;
  if (o.timeFirstOutput) {
    sub.stdout?.once('data', () => {
      firstOutputSeconds = (performance.now() - started) / 1000;
    });
  }
  let interrupted = false;
  const timer = setTimeout(
    () => {
      interrupted = true;
      sub.kill(o.stopSignal);
    },
    Math.max(1, o.budgetSeconds * 1000),
  );
  try {
    const r = await sub;
    const run: ToolRun = {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      missing: r.failed && r.code === 'ENOENT',
      interrupted: interrupted || r.isCanceled,
    };
    if (r.exitCode !== undefined) run.exitCode = r.exitCode;
    if (firstOutputSeconds !== undefined) run.firstOutputSeconds = firstOutputSeconds;
    return run;
  } finally {
    clearTimeout(timer);
  }
}
