import type { ToolCommand } from '../shared/command.js';
import { runTool, type ToolRun } from '../shared/run-tool.js';

/**
 * Runs ping until it has its replies or the budget is spent. SIGINT, not SIGTERM, stops it: on
 * SIGINT ping still prints its summary, so a cut-short probe keeps every reply it had. Its first
 * output is its banner, printed once its socket is open (blackbox's `setup` phase).
 */
export function runPing(cmd: ToolCommand, args: string[], budgetSeconds: number, signal: AbortSignal): Promise<ToolRun> {
  return runTool(cmd, args, { budgetSeconds, signal, stopSignal: 'SIGINT', timeFirstOutput: true });
}
