import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { freePort } from './free-port.js';

/** Debian's prometheus-blackbox-exporter (0.23): what Pulse's shared probers are checked against. */
export const BLACKBOX_BINARY = '/usr/bin/prometheus-blackbox-exporter';

export interface BlackboxAnswer {
  status: number;
  body: string;
}

export interface Blackbox {
  url: string;
  /** GET /probe?module=&target= (and &debug=true when asked). */
  probe(module: string, target: string, opts?: { debug?: boolean }): Promise<BlackboxAnswer>;
  stop(): Promise<void>;
}

/**
 * Starts the real blackbox_exporter with `config` (blackbox.yml text; JSON is YAML too) in a temp
 * dir, on a free 127.0.0.1 port, and resolves once it answers /-/healthy. A blackbox that dies
 * first fails the start with its output; one that lost its port to another test meanwhile is
 * started again on another port (it cannot be given port 0).
 */
export async function startBlackbox(config: string): Promise<Blackbox> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-blackbox-'));
  const file = join(dir, 'blackbox.yml');
  await writeFile(file, config);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(file, await freePort(), () => rm(dir, { recursive: true, force: true }));
    } catch (err) {
      if (attempt >= 3 || !String(err).includes('address already in use')) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}

async function startOn(file: string, port: number, cleanup: () => Promise<void>): Promise<Blackbox> {
  const url = `http://127.0.0.1:${port}`;
  const proc = execa(BLACKBOX_BINARY, [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${port}`], { reject: false, all: true });
  let exited: string | undefined;
  void proc.then((r) => {
    exited = `blackbox_exporter exited with ${r.exitCode}: ${r.all}`;
  });
  const kill = async () => {
    proc.kill('SIGTERM');
    await proc;
  };
  try {
    await waitHealthy(url, () => exited);
  } catch (err) {
    await kill();
    throw err;
  }
  const probe = async (module: string, target: string, opts: { debug?: boolean } = {}): Promise<BlackboxAnswer> => {
    const query = `module=${module}&target=${encodeURIComponent(target)}${opts.debug ? '&debug=true' : ''}`;
    const res = await fetch(`${url}/probe?${query}`);
    return { status: res.status, body: await res.text() };
  };
  const stop = async () => {
    await kill();
    await cleanup();
  };
  return { url, probe, stop };
}

async function waitHealthy(url: string, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const dead = exited();
    if (dead) throw new Error(dead);
    try {
      if ((await fetch(`${url}/-/healthy`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`blackbox_exporter did not become healthy at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
