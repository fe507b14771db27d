import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/**
 * The README's way to put the three programs on PATH, into a throwaway prefix (npm's global
 * directory) so nothing outside the test changes. `--ignore-scripts` skips `prepare`: the build
 * is `npm install`'s job and dist/ is already there; what is tested is the linking and the bins.
 */
describe('pulse, pulse-hub and pulse-exporter on PATH', () => {
  // `npm link` makes the same link (npm's docs: it is `npm install -g` of the current folder).
  it('`npm install -g .` links the three programs, which run from any directory', async () => {
    const prefix = await mkdtemp(join(tmpdir(), 'pulse-path-'));
    try {
      const npmEnv = { npm_config_prefix: prefix, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
      await execa('npm', ['install', '-g', '.', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, env: npmEnv });
      const env = { PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? ''}` };
      const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
      for (const bin of ['pulse', 'pulse-hub', 'pulse-exporter']) {
        const r = await execa(bin, ['--version'], { cwd: prefix, env });
        expect(r.stdout.trim()).toBe(version);
      }
      const help = await execa('pulse', ['--help'], { cwd: prefix, env });
      expect(help.stdout).toMatch(/^Usage: pulse /);
      // The README's way back out: the link and the three programs are gone, the checkout stays.
      await execa('npm', ['uninstall', '-g', 'pulse', '--no-audit', '--no-fund'], { cwd: prefix, env: npmEnv });
      expect(existsSync(join(prefix, 'bin', 'pulse'))).toBe(false);
      expect(existsSync(join(root, 'dist/cli/main.js'))).toBe(true);
    } finally {
      await rm(prefix, { recursive: true, force: true });
    }
  }, 60_000);
});
