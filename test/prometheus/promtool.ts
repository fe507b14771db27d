import { execa } from 'execa';

/** Runs the Debian package's promtool; never rejects, so tests can show its output on failure. */
export async function promtool(args: string[], cwd?: string) {
  const r = await execa('promtool', args, { reject: false, all: true, ...(cwd ? { cwd } : {}) });
  return { exitCode: r.exitCode, output: r.all ?? '' };
}
