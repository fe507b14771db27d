import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Measurement, Row } from '../../hub/measurement.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure, post, readNdjson, rowsByAgent, type StreamLine } from './client.js';
import { gate, scriptedRegistry } from './scripted-prober.js';

describe('fan-out to three real exporters over mutual TLS', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({
      agents: [
        { name: 'a', labels: { site: 'ams', tier: 'edge' } },
        { name: 'b', labels: { site: 'ams', tier: 'core' } },
        { name: 'c', labels: { site: 'nyc', tier: 'edge' } },
      ],
      probers: scriptedRegistry(),
    });
  });
  afterAll(() => fleet?.close());

  test('every agent answers with its own row and the prober result', async () => {
    const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
    expect(m.status).toBe('done');
    expect(m.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(m.rows.map((r) => r.agent)).toEqual(['a', 'b', 'c']);
    expect(m.summary).toEqual({ ok: 3, failed: 0, timeout: 0, offline: 0 });
    const a = rowsByAgent(m).a!;
    expect(a.labels).toEqual({ site: 'ams', tier: 'edge' });
    expect(a.result?.metrics.probe_scripted_value).toBe(42);
    expect(a.result?.details).toEqual({ host: 'ok.test' });
    expect(a.reason).toBeUndefined();
  });

  test('a failing probe is a failed row with the probe reason', async () => {
    const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'fail.test:1', timeout: 5 });
    expect(m.summary.failed).toBe(3);
    for (const r of m.rows) {
      expect(r.status).toBe('failed');
      expect(r.reason).toBe('scripted failure');
      expect(r.result?.success).toBe(false);
    }
  });

  test('the selector picks agents by labels and by name', async () => {
    const bySite = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { site: 'ams' } });
    expect(bySite.rows.map((r) => r.agent)).toEqual(['a', 'b']);
    expect(bySite.agents).toEqual({ site: 'ams' });
    const two = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { site: 'ams', tier: 'core' } });
    expect(two.rows.map((r) => r.agent)).toEqual(['b']);
    const byName = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'c' } });
    expect(byName.rows.map((r) => r.agent)).toEqual(['c']);
    const none = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { site: 'mars' } });
    expect(none.rows).toEqual([]);
    expect(none.status).toBe('done');
  });

  test('async: 202 with a handle that shows the result', async () => {
    const res = await post(fleet.hubUrl, '/api/v1/measurements?async=true', { type: 'tcp', target: 'ok.test:1' });
    expect(res.status).toBe(202);
    const { id, url } = (await res.json()) as { id: string; url: string };
    expect(url).toBe(`/api/v1/measurements/${id}`);
    let m: Measurement;
    do {
      m = (await (await fetch(`${fleet.hubUrl}${url}`)).json()) as Measurement;
    } while (m.status === 'running' && (await new Promise((r) => setTimeout(r, 20))) === undefined);
    expect(m.summary.ok).toBe(3);
    const prefer = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'ok.test:1' }, { prefer: 'respond-async' });
    expect(prefer.status).toBe(202);
  });

  test('unknown measurement handles are 404 with the error shape', async () => {
    const res = await fetch(`${fleet.hubUrl}/api/v1/measurements/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PULSE_NOT_FOUND');
  });

  test('server-sent events: one row event per agent, then done', async () => {
    const res = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'ok.test:1' }, { accept: 'text/event-stream' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.trim().split('\n\n').map((block) => {
      const [ev, data] = block.split('\n');
      return { event: ev!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) as Record<string, unknown> };
    });
    expect(events.map((e) => e.event)).toEqual(['row', 'row', 'row', 'done']);
    expect(events.slice(0, 3).map((e) => e.data.agent).sort()).toEqual(['a', 'b', 'c']);
    expect(events[3]!.data.summary).toEqual({ ok: 3, failed: 0, timeout: 0, offline: 0 });
  });

  test('/metrics counts measurements and agents, and passes promtool', async () => {
    const text = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
    expect(text).toMatch(/^pulse_hub_agents\{state="active"\} 3$/m);
    expect(text).toMatch(/^pulse_hub_measurements_total\{type="tcp"\} \d+$/m);
    expect(text).toMatch(/^pulse_hub_measurement_results_total\{type="tcp",status="ok"\} \d+$/m);
    expect(text).toMatch(/^pulse_hub_agent_call_duration_seconds_count\{agent="a"\} \d+$/m);
    expect(text).toMatch(/^pulse_hub_fanout_duration_seconds_count\{type="tcp"\} \d+$/m);
    const lint = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
    expect(lint.stderr + lint.stdout).toBe('');
    expect(lint.exitCode).toBe(0);
  });
});

describe('slow, stuck and killed agents', () => {
  test('NDJSON lines arrive per agent before the slowest agent finishes', async () => {
    const held = gate();
    const fleet = await startFleet({
      agents: ['fast1', 'fast2', { name: 'slow', probers: scriptedRegistry({ gate: held.promise }) }],
      probers: scriptedRegistry(),
    });
    try {
      // Only the slow agent waits on the gate; the fast ones answer wait.test at once.
      const res = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'wait.test:1', timeout: 60 }, { accept: 'application/x-ndjson' });
      expect(res.headers.get('content-type')).toBe('application/x-ndjson');
      const id = res.headers.get('x-pulse-measurement')!;
      const seenBeforeRelease: string[] = [];
      const lines = await readNdjson(res, async (line) => {
        if ('agent' in line && line.agent !== 'slow') {
          seenBeforeRelease.push(line.agent);
          if (seenBeforeRelease.length === 2) {
            // Both fast rows are here while the slow agent is still held: the stream did not wait for it.
            const m = (await (await fetch(`${fleet.hubUrl}/api/v1/measurements/${id}`)).json()) as Measurement;
            expect(m.status).toBe('running');
            expect(m.rows.map((r) => r.agent).sort()).toEqual(['fast1', 'fast2']);
            held.open();
          }
        }
      });
      expect(lines.map((l) => ('agent' in l ? l.agent : 'done'))).toEqual([...seenBeforeRelease, 'slow', 'done']);
      const done = lines.at(-1) as Extract<StreamLine, { done: true }>;
      expect(done).toEqual({ done: true, id, summary: { ok: 3, failed: 0, timeout: 0, offline: 0 } });
    } finally {
      held.open();
      await fleet.close();
    }
  });

  test('an exporter killed mid-test turns into offline/timeout; the others still answer', async () => {
    const held = gate();
    const fleet = await startFleet({
      agents: ['x', 'y', { name: 'victim', probers: scriptedRegistry({ gate: held.promise }) }],
      probers: scriptedRegistry(),
    });
    try {
      const res = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'wait.test:1', timeout: 30 }, { accept: 'application/x-ndjson' });
      const victim = fleet.exporters.find((e) => e.name === 'victim')!;
      let answered = 0;
      const lines = await readNdjson(res, async (line) => {
        if ('agent' in line && ++answered === 2) await victim.kill();
      });
      const rows = lines.filter((l): l is Row => 'agent' in l);
      const byAgent = rowsByAgent({ rows });
      expect(byAgent.x!.status).toBe('ok');
      expect(byAgent.y!.status).toBe('ok');
      expect(['offline', 'timeout']).toContain(byAgent.victim!.status);
      expect(byAgent.victim!.reason).toMatch(/unreachable|no answer/);
      expect((lines.at(-1) as { done: boolean }).done).toBe(true);

      // Killed for good: the next test reaches it no more, and says so without waiting for the timeout.
      const after = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', timeout: 30 });
      expect(rowsByAgent(after).victim!.status).toBe('offline');
      expect(after.summary).toEqual({ ok: 2, failed: 0, timeout: 0, offline: 1 });
    } finally {
      held.open();
      await fleet.close();
    }
  });

  test('an agent that never answers is a timeout row; the answer still comes', async () => {
    const fleet = await startFleet({ agents: ['p', 'q'], probers: scriptedRegistry() });
    try {
      // stuck.test ignores its abort signal: the hub's own deadline has to end the wait.
      const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'stuck.test:1', timeout: 1 });
      expect(m.status).toBe('done');
      expect(m.rows.map((r) => [r.agent, r.status])).toEqual([
        ['p', 'timeout'],
        ['q', 'timeout'],
      ]);
      expect(m.rows[0]!.reason).toBe('no answer within 1s');
      expect(m.rows[0]!.result).toBeNull();
    } finally {
      await fleet.close();
    }
  });

  test('inactive agents are offline and not called', async () => {
    const fleet = await startFleet({
      agents: ['alive', 'gone'],
      probers: scriptedRegistry(),
      hub: { agent_inactive_after: '3s' },
      heartbeatInterval: '250ms',
    });
    try {
      await fleet.exporters.find((e) => e.name === 'gone')!.kill();
      for (;;) {
        const gone = fleet.hub.registry.list().find((a) => a.name === 'gone')!;
        if (!gone.active) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
      const gone = rowsByAgent(m).gone!;
      expect(gone.status).toBe('offline');
      expect(gone.reason).toMatch(/^agent inactive: last seen /);
      expect(gone.duration_seconds).toBeNull();
      expect(rowsByAgent(m).alive!.status).toBe('ok');
      const text = await (await fetch(`${fleet.hubUrl}/metrics`)).text();
      expect(text).toMatch(/^pulse_hub_agents\{state="inactive"\} 1$/m);
    } finally {
      await fleet.close();
    }
  });
});
