import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import type { Machine } from './results.js';
import { BLACKBOX_BIN } from './services.js';

/** The machine a run came from, recorded with its figures (they mean little without it). */
export function describeMachine(): Machine {
  let cpu = 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: the model stays unknown.
  }
  // blackbox_exporter prints its version on stderr.
  const v = spawnSync(BLACKBOX_BIN, ['--version'], { encoding: 'utf8' });
  const blackbox = `${v.stdout ?? ''}${v.stderr ?? ''}`.split('\n')[0]?.trim() || 'not found';
  return {
    nproc: availableParallelism(),
    cpu,
    memoryMB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    kernel: release(),
    blackbox,
    loadavg: loadavg().map((v) => Math.round(v * 100) / 100),
  };
}
