import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { freePort } from './proc.js';

export interface BenchRedis {
  url: string;
  stop(): Promise<void>;
}

/** redis-server (Debian package) on a free loopback port, in memory only: the replicas' shared store. */
export async function startBenchRedis(dir: string): Promise<BenchRedis> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server not ready within 15 s:\n${out}`)), 15_000);
    proc.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`redis-server did not start (is the redis-server package installed?): ${err.message}`));
    });
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
