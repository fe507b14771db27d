import { join } from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');

it('exits quietly when the reader closes the pipe early (pulse --help | head -1)', async () => {
  // A fixed command line, no user input: the shell only builds the pipe.
  const r = await execa('bash', ['-o', 'pipefail', '-c', `node ${JSON.stringify(CLI)} --help | head -c 10`], { reject: false });
  expect(r.stdout).toBe('Usage: pul');
  expect(r.stderr).not.toContain('EPIPE');
  expect(r.exitCode).toBe(0);
});
