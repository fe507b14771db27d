import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/**
 * The `pulse` binary from the current sources: cli/main.ts bundled as `npm run build` would
 * compile it (packages stay external and resolve from node_modules), without a full tsc build.
 * Two folders below the repository, so the version lookup finds package.json as from dist/cli/.
 */
export async function buildPulseBinary(): Promise<string> {
  const dir = join(root, 'test-artifacts', `cli-${process.pid}`);
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, 'pulse.mjs');
  await build({
    entryPoints: [join(root, 'cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

export interface PulseRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runPulse(bin: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<PulseRun> {
  const r = await execa('node', [bin, ...args], {
    reject: false,
    env: { NO_COLOR: '1', ...opts.env },
    extendEnv: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    timeout: 90_000,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
