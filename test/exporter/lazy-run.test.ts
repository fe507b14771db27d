import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import type { ProbeContext, ProbeResult } from '../../lib/probe/types.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { lazyRun } from '../../exporter/probers/shared/lazy-run.js';
import { buildState } from '../../exporter/state.js';

const ok: ProbeResult = { success: true, metrics: undefined as never, details: {} };

describe('probers loaded when used', () => {
  it('imports the run module once, on load or on the first run, and calls it directly after', async () => {
    let imports = 0;
    let runs = 0;
    const run = lazyRun<'tcp'>(async () => {
      imports++;
      return async () => {
        runs++;
        return ok;
      };
    });
    expect(imports).toBe(0);
    await Promise.all([run({} as ProbeContext<'tcp'>), run({} as ProbeContext<'tcp'>), run.load()]);
    await run({} as ProbeContext<'tcp'>);
    expect({ imports, runs }).toEqual({ imports: 1, runs: 3 });
  });

  it('tries a failed import again on the next call instead of keeping the failure', async () => {
    let attempt = 0;
    const run = lazyRun<'tcp'>(async () => {
      if (++attempt === 1) throw new Error('chunk missing');
      return async () => ok;
    });
    await expect(run({} as ProbeContext<'tcp'>)).rejects.toThrow('chunk missing');
    await expect(run({} as ProbeContext<'tcp'>)).resolves.toBe(ok);
    expect(attempt).toBe(2);
  });

  it('the exporter loads the probers its modules use at start and leaves the others for later', async () => {
    const loaded: string[] = [];
    const probers = Object.fromEntries(
      Object.entries(defaultProbers()).map(([name, p]) => [name, { ...p, unavailable: undefined, run: Object.assign(async () => ok, { load: async () => void loaded.push(name) }) }]),
    ) as unknown as ReturnType<typeof defaultProbers>;
    const config = resolveConfig({ modules: { a: { prober: 'http' }, b: { prober: 'tcp' }, c: { prober: 'http' } } });
    await buildState(config, probers, true);
    expect(loaded.sort()).toEqual(['http', 'tcp']);
  });

  it('every built-in prober but the host checks (a few lines each, no Node modules of their own) loads its run on demand', () => {
    const lazy = Object.entries(defaultProbers())
      .filter(([, p]) => typeof p.run.load === 'function')
      .map(([name]) => name)
      .sort();
    expect(lazy).toEqual(['burst', 'dns', 'grpc', 'http', 'icmp', 'mtr', 'sockets', 'tcp', 'unix', 'websocket']);
  });
});
