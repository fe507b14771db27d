import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CallOutcome } from '../../hub/agent-client.js';
import type { AgentLinks } from '../../hub/links/types.js';
import { fanOut, remainingSeconds } from '../../hub/fanout.js';
import type { Measurement, Row } from '../../hub/measurement.js';
import { ConcurrencyQueue } from '../../hub/queue.js';
import type { AgentView } from '../../hub/registry.js';
import type { RunRequest, RunResponse } from '../../lib/wire.js';
import { MeasurementStore } from '../../hub/measurements.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure, post } from './client.js';
import { submit } from './operations-fixture.js';
import { gate, scriptedRegistry } from './scripted-prober.js';

async function waitDone(base: string, id: string): Promise<Measurement> {
  for (;;) {
    const m = (await (await fetch(`${base}/api/v1/measurements/${id}`)).json()) as Measurement;
    if (m.status === 'done') return m;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('hub.max_running_measurements', () => {
  const hold = gate();
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['a1'], probers: scriptedRegistry({ gate: hold.promise }), hub: { max_running_measurements: 2 } });
  });
  afterAll(() => fleet?.close());

  test('above the limit, measurements and operations get 429 PULSE_BUSY until some finish', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await post(fleet.hubUrl, '/api/v1/measurements?async=true', { type: 'tcp', target: 'wait.test:1', timeout: 30 });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    const busy = await post(fleet.hubUrl, '/api/v1/measurements?async=true', { type: 'tcp', target: 'ok.test:1' });
    expect(busy.status).toBe(429);
    const { error } = (await busy.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('PULSE_BUSY');
    expect(error.message).toMatch(/hub\.max_running_measurements/);
    const op = await submit(fleet.hubUrl, { operations: { hosts: { type: 'file_exists', path: '/etc/hosts' } } });
    expect(op.status).toBe(429);

    hold.open();
    for (const id of ids) expect((await waitDone(fleet.hubUrl, id)).summary.ok).toBe(1);
    const again = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
    expect(again.summary.ok).toBe(1);
  });
});

/** Links that answer every call at once (or when `hold` opens) and record what they were asked. */
function fakeLinks(hold?: Promise<void>) {
  const bodies: RunRequest[] = [];
  const link = {
    mode: 'direct' as const,
    async relay(): Promise<never> {
      throw new Error('not used');
    },
    async run(body: RunRequest): Promise<CallOutcome> {
      bodies.push(body);
      if (hold) await hold;
      const response: RunResponse = {
        protocol: 1, type: body.type, target: body.target, success: true, duration_seconds: 0,
        timeout_seconds: body.timeout_seconds ?? 0, metrics: {}, details: {}, logs: [],
      };
      return { kind: 'answer', response };
    },
  };
  const links: AgentLinks = { link: () => link, close: async () => undefined };
  return { links, bodies };
}

const agent = (name: string): AgentView => ({
  name, labels: {}, url: 'https://127.0.0.1:1', version: 't', protocol: 1, probers: ['tcp'], ip_versions: [4],
  active: true, last_seen: new Date().toISOString(), refused: null,
});

describe('fan-out deadline', () => {
  test('a fan-out to more than ten calls prints no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { links } = fakeLinks();
      const rows: Row[] = [];
      const agents = Array.from({ length: 16 }, (_, i) => agent(`a${i}`));
      // A queue of 1: fifteen calls wait on the deadline signal at once.
      await fanOut({ type: 'tcp', targets: ['ok.test:1'], options: {}, timeoutSeconds: 5, agents }, { links, queue: new ConcurrencyQueue(1) }, (r) => rows.push(r));
      expect(rows.filter((r) => r.status === 'ok')).toHaveLength(16);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  test('a large fan-out lets the event loop run while it starts calls: the first ones leave before the last are built', async () => {
    const { links, bodies } = fakeLinks();
    const rows: Row[] = [];
    const agents = Array.from({ length: 1000 }, (_, i) => agent(`a${i}`));
    let startedAtFirstTurn = -1;
    const done = fanOut({ type: 'tcp', targets: ['ok.test:1'], options: {}, timeoutSeconds: 5, agents }, { links, queue: new ConcurrencyQueue(1024) }, (r) => rows.push(r));
    // Sockets are written when the loop turns; this runs at the first turn after the fan-out began.
    setImmediate(() => {
      startedAtFirstTurn = bodies.length;
    });
    await done;
    expect(startedAtFirstTurn).toBeGreaterThan(0);
    expect(startedAtFirstTurn).toBeLessThan(1000);
    expect(rows.filter((r) => r.status === 'ok')).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.agent)).size).toBe(1000);
  });

  test('calls that waited in the queue ask the agent for the time left, not the whole timeout', async () => {
    const hold = gate();
    const { links, bodies } = fakeLinks(hold.promise);
    const rows: Row[] = [];
    const job = { type: 'tcp', targets: ['ok.test:1'], options: {}, timeoutSeconds: 6, agents: [agent('first'), agent('second')] };
    const done = fanOut(job, { links, queue: new ConcurrencyQueue(1) }, (r) => rows.push(r));
    await new Promise((r) => setTimeout(r, 1100));
    hold.open();
    await done;
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(bodies[0]!.timeout_seconds).toBeGreaterThan(5.5);
    // The second call started after the first one's second or more: at most 5 seconds were left.
    expect(bodies[1]!.timeout_seconds).toBeLessThanOrEqual(5);
    expect(bodies[1]!.timeout_seconds).toBeGreaterThan(0);
  });

  test('remainingSeconds: what is left before the deadline less the margin, never above the timeout nor 0', () => {
    expect(remainingSeconds(6, 10_000, 0)).toBe(6);
    expect(remainingSeconds(6, 7000, 2000)).toBe(4);
    expect(remainingSeconds(6, 7000, 9000)).toBeGreaterThan(0);
  });
});

describe('the measurement store', () => {
  test('never evicts a running measurement, whatever its size limit', async () => {
    let finish!: () => void;
    const running = { data: { id: 'running' }, done: new Promise<void>((r) => (finish = r)) };
    const store = new MeasurementStore<typeof running>(60_000, 1);
    try {
      store.add(running);
      const done = { data: { id: 'done' }, done: Promise.resolve() };
      store.add(done);
      await done.done;
      store.add({ data: { id: 'another' }, done: new Promise<void>(() => undefined) });
      expect(store.get('running')).toBe(running);
      finish();
      await running.done;
      await new Promise((r) => setImmediate(r));
      store.add({ data: { id: 'last' }, done: Promise.resolve() });
      expect(store.get('running')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
