import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { blackboxConfig, pulseConfig } from './configs.js';
import { freePort, sleep } from './proc.js';
import type { ExporterName, StartupFigures } from './results.js';
import { pulseCommand } from './launch.js';
import { BLACKBOX_BIN, pulseEntry } from './services.js';
import { summarize } from './stats.js';

/** How long one start may take before it counts as failed. */
const START_TIMEOUT_MS = 20_000;
/** Poll interval while waiting for the first answer: small against the 300 ms target. */
const POLL_MS = 5;

/**
 * Start-up to the first answered /probe: each exporter is started `runs` times, and from spawn
 * the same tcp_connect probe is sent every few milliseconds until one answers 200 with
 * probe_success 1. What an agent restarted by systemd takes to be useful again.
 */
export async function benchStartup(dir: string, targetAddr: string, runs: number): Promise<Partial<Record<ExporterName, StartupFigures>>> {
  const pulseFile = join(dir, 'startup-pulse.yml');
  const bbFile = join(dir, 'startup-blackbox.yml');
  await writeFile(pulseFile, pulseConfig());
  await writeFile(bbFile, blackboxConfig());
  const commands: Record<ExporterName, (port: number) => { command: string; args: string[] }> = {
    // As a user starts it (the bin itself); BENCH_PULSE_NODE_ARGS (profiling) is left out here.
    pulse: (port) => pulseCommand(pulseEntry(), [], ['--config', pulseFile, '--listen', `127.0.0.1:${port}`]),
    blackbox: (port) => ({ command: BLACKBOX_BIN, args: [`--config.file=${bbFile}`, `--web.listen-address=127.0.0.1:${port}`] }),
  };
  const out: Partial<Record<ExporterName, StartupFigures>> = {};
  // What Node itself takes to start and exit here: the floor under Pulse's figure on this machine.
  const node: number[] = [];
  for (let i = 0; i < runs; i++) node.push(await timeToExit(process.execPath, ['-e', '0']));
  const nodeMs = Math.round(summarize(node).p50);
  for (const name of ['pulse', 'blackbox'] as const) {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const port = await freePort();
      const { command, args } = commands[name](port);
      ms.push(await timeToFirstProbe(command, args, `http://127.0.0.1:${port}/probe?module=tcp_connect&target=${encodeURIComponent(targetAddr)}`));
    }
    out[name] = { medianMs: Math.round(summarize(ms).p50), runsMs: ms.map((v) => Math.round(v)), ...(name === 'pulse' ? { emptyNodeMs: nodeMs } : {}) };
  }
  return out;
}

function timeToExit(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - started));
  });
}

async function timeToFirstProbe(command: string, args: string[], url: string): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (performance.now() - started < START_TIMEOUT_MS) {
      if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}) before answering a probe`);
      try {
        const res = await request(url, { headersTimeout: 5_000, bodyTimeout: 5_000, reset: true });
        const text = await res.body.text();
        if (res.statusCode === 200 && /^probe_success 1$/m.test(text)) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await sleep(POLL_MS);
    }
    throw new Error(`${command} answered no probe within ${START_TIMEOUT_MS} ms`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
