#!/usr/bin/env node
// Bundles the hub's web page (hub/ui/src) with esbuild into hub/ui/dist: content-hashed
// app-HASH.js / app-HASH.css (served immutable) and an index.html that names them (no-cache).
// Usage: node scripts/build-ui.mjs [--out DIR]
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildUi(outDir = join(root, 'hub/ui/dist')) {
  // No emptying first: a running hub keeps serving the old page until index.html is swapped.
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(root, 'hub/ui/src/main.ts'), style: join(root, 'hub/ui/src/styles.css') },
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  let js;
  let css;
  for (const file of Object.keys(result.metafile.outputs)) {
    const name = basename(file);
    if (name.endsWith('.js')) js = name;
    if (name.endsWith('.css')) css = name;
  }
  if (!js || !css) throw new Error('esbuild produced no js or css');
  const template = await readFile(join(root, 'hub/ui/index.html'), 'utf8');
  const tmp = join(outDir, `.index.html.${process.pid}`);
  await writeFile(tmp, template.replace('{{js}}', js).replace('{{css}}', css));
  await rename(tmp, join(outDir, 'index.html'));
  for (const f of await readdir(outDir)) {
    if (/^(app|style)-[A-Z0-9]+\.(js|css)$/.test(f) && f !== js && f !== css) await rm(join(outDir, f), { force: true });
  }
  return { outDir, js, css };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? resolve(process.argv[i + 1]) : undefined;
  buildUi(out).then(
    (r) => process.stdout.write(`web page built in ${r.outDir}: ${r.js}, ${r.css}\n`),
    (err) => {
      process.stderr.write(`build-ui: ${err.message}\n`);
      process.exit(1);
    },
  );
}
