import { type ChildProcess, fork, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Dispatcher, request } from 'undici';
import type { LoadOptions, LoadResult } from './loadgen-core.js';
import { childPids } from './memory.js';

export { freePort } from './free-port.js';

/** A process the harness started and will stop: an exporter, a target, nginx, the agent simulator. */
export interface Service {
  name: string;
  pid: number;
  port: number;
  url: string;
  logFile: string;
  /** The PID and its children (cluster workers), for memory readings. */
  pids(): Promise<number[]>;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  /** Directory for the log file. */
  dir: string;
  port: number;
  /** Path that answers 200 once the service is ready. */
  readyPath: string;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** How to tell it is ready when not by a plain-HTTP GET of readyPath (a service on HTTPS with client certificates). */
  ready?: () => Promise<boolean>;
}

/** Where the compiled harness lives (dist/bench), to find sibling entry points. */
export function benchFile(name: string): string {
  return join(fileURLToPath(new URL('.', import.meta.url)), name);
}

export function repoRoot(): string {
  return join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
}

export async function startService(opts: StartOptions): Promise<Service> {
  const logFile = join(opts.dir, `${opts.name}.log`);
  // Output goes to a file: a pipe nobody reads would block the child once its buffer fills.
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, { stdio: ['ignore', fd, fd], env: opts.env ?? process.env });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => {
    exitCode = c ?? -1;
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${opts.name} exited (${exitCode}) before it was ready:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${opts.name} not ready on ${url}${opts.readyPath} within ${opts.readyTimeoutMs ?? 30_000} ms:\n${tail(logFile)}`);
    }
    if (await (opts.ready ? opts.ready() : answers(`${url}${opts.readyPath}`))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    name: opts.name,
    pid,
    port: opts.port,
    url,
    logFile,
    pids: async () => [pid, ...(await childPids(pid))],
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Whether `url` answers 200 (through `dispatcher`, e.g. with a client certificate, when given). */
export async function answers(url: string, dispatcher?: Dispatcher): Promise<boolean> {
  try {
    const res = await request(url, { headersTimeout: 2_000, bodyTimeout: 2_000, ...(dispatcher ? { dispatcher } : {}) });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs the load generator in a child process and returns its result. */
export function runLoadInChild(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(benchFile('loadgen.js'), [JSON.stringify(opts)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.once('message', (m) => {
      result = m as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(`load generator exited (${code}) without a result`));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
