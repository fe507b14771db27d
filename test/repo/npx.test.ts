import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it('`npx pulse` in the checkout runs the built CLI without rebuilding dist/ under a running hub', async () => {
  const cache = await mkdtemp(join(tmpdir(), 'pulse-npx-cache-'));
  try {
    const built = join(root, 'dist/cli/main.js');
    const before = (await stat(built)).mtimeMs;
    // A fresh npm cache: npx links the checkout in as on a user's first call, running `prepare`.
    const r = await execa('npx', ['--yes', 'pulse', '--version'], {
      cwd: root,
      reject: false,
      env: { npm_config_cache: cache, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    });
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.exitCode).toBe(0);
    expect((await stat(built)).mtimeMs).toBe(before);
    expect(r.stdout + r.stderr).not.toMatch(/tsc -p|> pulse@[^ ]+ build/);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}, 120_000);
