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
 * first (a bad config, the port taken meanwhile) fails the start with its output.
 */
export async function startBlackbox(config: string): Promise<Blackbox> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-blackbox-'));
  const file = join(dir, 'blackbox.yml');
  await writeFile(file, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = execa(BLACKBOX_BINARY, [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${port}`], { reject: false, all: true });
  let exited: string | undefined;
  void proc.then((r) => {
    exited = `blackbox_exporter exited with ${r.exitCode}: ${r.all}`;
  });
  const stop = async () => {
    proc.kill('SIGTERM');
    await proc;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, () => exited);
  } catch (err) {
    await stop();
    throw err;
  }
  const probe = async (module: string, target: string, opts: { debug?: boolean } = {}): Promise<BlackboxAnswer> => {
    const query = `module=${module}&target=${encodeURIComponent(target)}${opts.debug ? '&debug=true' : ''}`;
    const res = await fetch(`${url}/probe?${query}`);
    return { status: res.status, body: await res.text() };
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
