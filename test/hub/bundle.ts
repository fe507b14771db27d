import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry point into test-artifacts/ (inside the checkout, so its package
 * imports resolve from node_modules) and returns the file to run with node: the real program,
 * without depending on a fresh `npm run build`.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const outDir = join(process.cwd(), 'test-artifacts', 'bundles');
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, `${basename(entry, '.ts')}-${entry.split('/')[0]}-${process.pid}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'silent' });
  return outfile;
}
