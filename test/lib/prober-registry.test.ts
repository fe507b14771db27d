import { Writable } from 'node:stream';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createProgram } from '../../cli/program.js';
import { buildState } from '../../exporter/state.js';
import { defaultProbers, type ProberRegistry } from '../../exporter/probers/index.js';
import { fieldsFor, requestsFrom, testTabs } from '../../hub/ui/src/tests.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { resolveConfig } from '../../lib/config/load.js';
import { registerProber } from '../../lib/probers/catalog.js';
import { MetricSet } from '../../lib/probe/metrics.js';
import type { Prober } from '../../lib/probe/types.js';
import type { TestTypeInfo } from '../../lib/probers/spec.js';
import { createTestPki, type TestPki } from '../helpers/tls.js';

/** Adding a prober is one registration: every place that lists probers or test types sees it. */
const TinyOptions = Type.Object({ greeting: Type.String({ default: 'hello', maxLength: 20 }) }, { additionalProperties: false });
const tinyProber: Prober = {
  validateTarget: (t) => (t.startsWith('tiny:') ? undefined : 'tiny targets look like tiny:NAME'),
  run: async (ctx) => ({ success: true, metrics: new MetricSet(), details: { said: `${String((ctx.options as { greeting: string }).greeting)} ${ctx.target}` } }),
};

describe('one registry of probers', () => {
  let unregister: () => void;
  let pki: TestPki;
  let hub: Hub;
  beforeAll(async () => {
    unregister = registerProber({
      name: 'tiny',
      options: TinyOptions,
      rule: (o: { greeting: string }) => (o.greeting === 'bye' ? 'greeting must not be bye' : undefined),
      limits: { concurrency: 1, queue: 1 },
      test: { command: 'tiny', title: 'Tiny', summary: 'say hello from every agent', target: 'tiny:NAME' },
    });
    pki = await createTestPki();
    const cert = await pki.issue('hub');
    const config = resolveConfig({ hub: { listen: '127.0.0.1:0', agent_tls: { cert_file: cert.certFile, key_file: cert.keyFile, ca_file: pki.caFile } } });
    hub = await buildHub({ config, probers: { ...defaultProbers(), tiny: tinyProber }, store: new MemoryAgentStore() });
  });
  afterAll(async () => {
    await hub?.close();
    await pki?.cleanup();
    unregister?.();
  });

  test('the config schema accepts a module of it, with its defaults and rule, and refuses a bad option', () => {
    const cfg = resolveConfig({ modules: { hi: { prober: 'tiny' } }, exporter: { limits: { tiny: { concurrency: 2, queue: 0 } } } });
    expect(cfg.modules.hi).toEqual({ prober: 'tiny', tiny: { greeting: 'hello' } });
    expect(() => resolveConfig({ modules: { hi: { prober: 'tiny', tiny: { volume: 3 } } } }, 'x.yml')).toThrow(/volume/);
    expect(() => resolveConfig({ modules: { hi: { prober: 'tiny', tiny: { greeting: 'bye' } } } }, 'x.yml')).toThrow(/greeting must not be bye/);
  });

  test('the hub validates requests for it and lists it as a test type', async () => {
    const post = (body: unknown) => hub.app.inject({ method: 'POST', url: '/api/v1/measurements', payload: body as object });
    const badTarget = await post({ type: 'tiny', target: 'nope' });
    expect(badTarget.statusCode).toBe(400);
    expect(badTarget.json()).toMatchObject({ error: { code: 'PULSE_BAD_TARGET', message: expect.stringMatching(/tiny:NAME/) } });
    const badOption = await post({ type: 'tiny', target: 'tiny:a', options: { greeting: 'x'.repeat(30) } });
    expect(badOption.json()).toMatchObject({ error: { code: 'PULSE_BAD_OPTIONS' } });
    const ok = await post({ type: 'tiny', target: 'tiny:a', options: { greeting: 'hi' } });
    expect(ok.statusCode).toBeLessThan(300);
    const history = await hub.app.inject({ method: 'GET', url: '/api/v1/measurements?type=tiny' });
    expect(history.statusCode).toBe(200);
    const types = (await hub.app.inject({ method: 'GET', url: '/api/v1/types' })).json() as { types: TestTypeInfo[] };
    expect(types.types.map((t) => t.type)).toContain('tiny');
  });

  test('the exporter limits it as its spec says', async () => {
    const probers: ProberRegistry = { ...defaultProbers(), tiny: tinyProber };
    const state = await buildState(resolveConfig({}), probers);
    const limiter = state.limiters.get('tiny' as never)!;
    const signal = new AbortController().signal;
    let release = () => {};
    const running = limiter.run(signal, () => new Promise<void>((r) => (release = r)));
    const queued = limiter.run(signal, async () => 'second');
    // concurrency 1, queue 1: the third is refused at once
    await expect(limiter.run(signal, async () => 'third')).rejects.toMatchObject({ code: 'PULSE_OVERLOADED' });
    release();
    await running;
    await expect(queued).resolves.toBe('second');
  });

  test('the CLI has a command for it that sends its options', async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const program = createProgram({ stdout: sink, stderr: sink } as never, { exit: 0 });
    const cmd = program.commands.find((c) => c.name() === 'tiny');
    expect(cmd?.description()).toMatch(/say hello from every agent/);
  });

  test("the page's tabs have it, with a form that builds its request", async () => {
    const types = (await hub.app.inject({ method: 'GET', url: '/api/v1/types' })).json() as { types: TestTypeInfo[] };
    const tabs = testTabs(types.types);
    const tab = tabs.find((t) => t.kind === 'tiny');
    expect(tab?.title).toBe('Tiny');
    expect(fieldsFor('tiny', tab).map((f) => f.name)).toEqual(['target', 'options']);
    expect(requestsFrom('tiny', { target: 'tiny:b', options: '{"greeting":"yo"}' }, { site: 'x' }, 5, tab)).toEqual([
      { type: 'tiny', target: 'tiny:b', options: { greeting: 'yo' }, agents: { site: 'x' }, timeout: 5 },
    ]);
  });
});
