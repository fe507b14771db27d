import type { ToolCommand } from '../shared/command.js';
import { runTool, type ToolRun } from '../shared/run-tool.js';

/**
 * Runs mtr; stops it (SIGTERM) when its budget is spent or the probe is cancelled. Raw output is
 * flushed line by line, so whatever arrived before the stop is kept.
 */
export function runMtr(cmd: ToolCommand, args: string[], budgetSeconds: number, signal: AbortSignal): Promise<ToolRun> {
  return runTool(cmd, args, { budgetSeconds, signal, stopSignal: 'SIGTERM' });
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
