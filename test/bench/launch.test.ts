import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulseCommand, shebangNodeFlags } from '../../bench/launch.js';

describe('bench/launch: the exporter is started as a user starts it', () => {
  let dir: string;
  let bin: string;
  let plain: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p19-launch-'));
    bin = join(dir, 'pulse-exporter.mjs');
    await writeFile(bin, '#!/usr/bin/env -S node --max-semi-space-size=8 --heap-growing-percent=50\nconsole.log(1);\n');
    await chmod(bin, 0o755);
    plain = join(dir, 'main.js');
    await writeFile(plain, '#!/usr/bin/env node\nconsole.log(1);\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the node flags from the #! line', () => {
    expect(shebangNodeFlags(bin)).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
    expect(shebangNodeFlags(plain)).toEqual([]);
  });

  it('executes the bin itself when no node flags are added', () => {
    expect(pulseCommand(bin, [], ['--config', 'x.yml'])).toEqual({ command: bin, args: ['--config', 'x.yml'] });
  });

  it('keeps the bin’s flags before added ones, and runs a non-executable entry under node', () => {
    expect(pulseCommand(bin, ['--cpu-prof'], ['--config', 'x.yml'])).toEqual({
      command: process.execPath,
      args: ['--max-semi-space-size=8', '--heap-growing-percent=50', '--cpu-prof', bin, '--config', 'x.yml'],
    });
    expect(pulseCommand(plain, [], [])).toEqual({ command: process.execPath, args: [plain] });
  });
});
