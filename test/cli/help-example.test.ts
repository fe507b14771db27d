import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Io } from '../../cli/context.js';
import { runArgv } from '../../cli/program.js';
import { runStdin } from '../../cli/stdin.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober } from '../../lib/probe/types.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';

/**
 * The stdin example of `pulse --help`, run as printed. The agents' probers are stand-ins that
 * echo what they were asked: the real ones would resolve example.org on this machine, and the
 * dns prober's "system" mode is tested for real in a namespace (dns-system.test.ts).
 */
const seen: Array<{ type: string; target: string }> = [];
const echo = <P extends 'dns' | 'icmp'>(type: P): Prober<P> => ({
  validateTarget: () => undefined,
  async run(ctx) {
    seen.push({ type, target: ctx.target });
    return { success: true, metrics: new MetricSet(), details: {} };
  },
});

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ agents: [{ name: 'eu-1', labels: { region: 'eu' } }], probers: { ...defaultProbers(), dns: echo('dns'), icmp: echo('icmp') } });
});
afterAll(async () => fleet?.close());

function io(stdin = ''): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (s: string) => out.push(s) > 0, isTTY: false } as never, stderr: { write: (s: string) => err.push(s) > 0 } as never, env: {}, readStdin: async () => stdin };
}

test('the stdin example in pulse --help works as written: dns without --resolver asks each agent\'s own', async () => {
  const help = io();
  await runArgv(['--help'], help);
  const line = help.out.join('').split('\n').find((l) => l.includes('| pulse'))!;
  const m = /printf '(.*)' \| pulse (.*)$/.exec(line.trim());
  expect(m, line).not.toBeNull();
  const input = m![1]!.replaceAll('\\n', '\n');
  const args = m![2]!.split(' ');
  const run = io(input);
  const code = await runStdin(['--hub', fleet.hubUrl, ...args.slice(0, -1)], run, () => []);
  expect(run.err.join('')).toBe('');
  expect(code).toBe(0);
  expect(seen).toEqual([
    { type: 'dns', target: 'system' },
    { type: 'icmp', target: 'example.org' },
  ]);
});
