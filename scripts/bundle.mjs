#!/usr/bin/env node
// Bundles the exporter, the hub and the CLI with esbuild into dist/package/: self-contained ESM
// files that need only Node at run time (no node_modules), plus the hub's web page, the systemd
// units and a package.json without dependencies. `npm pack dist/package` makes the one file to
// install. Code each program loads only on demand (the hub client, the certificate parser,
// execa, light-my-request) stays in chunks of its own, loaded by dynamic import when used.
// Usage: node scripts/bundle.mjs [--out DIR]
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRIES = { 'pulse-exporter': 'exporter/main.ts', 'pulse-hub': 'hub/main.ts', pulse: 'cli/main.ts' };

/**
 * V8 flags the shipped exporter starts with, from its first line (`#!/usr/bin/env -S node ...`),
 * so npm's bin link and the systemd unit get them without NODE_OPTIONS. They bound the peak under
 * load (docs/performance.md, "Peak memory"): young-generation semi-spaces of at most 8 MB instead
 * of 16, and an old generation that may grow 1.5x its live size before the next mark-compact
 * instead of up to 4x. Neither is a cap: the heap still grows as far as the load needs.
 */
export const EXPORTER_NODE_FLAGS = ['--max-semi-space-size=8', '--heap-growing-percent=50'];
/** `prom-client` resolves to its used parts only, and its OpenTelemetry import to what it calls (see the files for why). */
const leanPromClient = {
  name: 'prom-client-lean',
  setup(b) {
    b.onResolve({ filter: /^prom-client$/ }, () => ({ path: join(root, 'scripts', 'prom-client-lean.cjs') }));
    b.onResolve({ filter: /^@opentelemetry\/api$/ }, () => ({ path: join(root, 'scripts', 'opentelemetry-unused.cjs') }));
  },
};
const LAUNCHERS = { 'pulse-exporter': `#!/usr/bin/env -S node ${EXPORTER_NODE_FLAGS.join(' ')}` };

export async function bundle(outDir = join(root, 'dist', 'package')) {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  await rm(outDir, { recursive: true, force: true });
  const binDir = join(outDir, 'bin');
  // One build per program: shared chunks between them would make each load the others' modules.
  for (const [name, file] of Object.entries(ENTRIES)) {
    await build({
      entryPoints: { [name]: join(root, file) },
      outdir: binDir,
      outExtension: { '.js': '.mjs' },
      chunkNames: `${name}/[name]-[hash]`,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Whitespace and syntax only: identifiers are not minified, so stack traces read as in the
      // sources (error classes set their own name). keepNames keeps the few names esbuild changes
      // on a clash (Check -> Check2) by wrapping every function in a defineProperty call, which
      // costs the agent about 0.5 MB resident (docs/performance.md): the exporter goes without,
      // its libraries checked (test/package); the hub and the CLI keep it.
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: name !== 'pulse-exporter',
      legalComments: 'none',
      logLevel: 'warning',
      plugins: [leanPromClient],
      // The CommonJS dependencies (prom-client, commander...) call require() for Node's own modules.
      banner: { js: "import { createRequire as __pulseCreateRequire } from 'node:module'; const require = __pulseCreateRequire(import.meta.url);" },
      // lib/version.ts and hub/ui/serve.ts look for files next to the sources; a bundle says where.
      define: { 'globalThis.PULSE_BUNDLED_VERSION': JSON.stringify(pkg.version) },
    });
  }
  for (const [name, line] of Object.entries(LAUNCHERS)) {
    const file = join(binDir, `${name}.mjs`);
    const text = await readFile(file, 'utf8');
    if (!text.startsWith('#!')) throw new Error(`${file} has no #! line to put the node flags on`);
    await writeFile(file, `${line}${text.slice(text.indexOf('\n'))}`);
  }
  await cp(join(root, 'hub', 'ui', 'dist'), join(binDir, 'ui'), { recursive: true }).catch((err) => {
    throw new Error(`hub/ui/dist is missing (run node scripts/build-ui.mjs first): ${err.message}`);
  });
  await cp(join(root, 'deploy'), join(outDir, 'deploy'), { recursive: true });
  await cp(join(root, 'config'), join(outDir, 'config'), { recursive: true });
  for (const f of ['README.md', 'CONFIGURATION.md', 'LICENSE', 'docs/install.md']) {
    await cp(join(root, f), join(outDir, f)).catch(() => undefined);
  }
  const manifest = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    type: 'module',
    license: pkg.license,
    engines: pkg.engines,
    bin: Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, `bin/${name}.mjs`])),
    // Everything is in bin/: installing the package fetches nothing else.
    dependencies: {},
  };
  await writeFile(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { outDir, manifest };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  bundle(i > 0 ? resolve(process.argv[i + 1]) : undefined).then(
    (r) => process.stdout.write(`bundled ${Object.keys(r.manifest.bin).join(', ')} into ${r.outDir}\n`),
    (err) => {
      process.stderr.write(`bundle: ${err.message}\n`);
      process.exit(1);
    },
  );
}
