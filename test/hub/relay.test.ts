import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { issueFiles } from '../../lib/pki.js';
import type { SdGroup } from '../../hub/sd.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { waitFor } from './operations-fixture.js';
import { scriptedRegistry } from './scripted-prober.js';

/** Prometheus through the hub: the relay for dial-out agents, and /sd pointing there. */
describe('the relay and /sd for dial-out agents', () => {
  let fleet: Fleet;
  let prometheus: Agent;
  let agentCert: Agent;
  const get = async (url: string, headers: Record<string, string> = {}, dispatcher = prometheus) => {
    const res = await request(url, { dispatcher, headers });
    return { status: res.statusCode, type: res.headers['content-type'], body: await res.body.text() };
  };
  beforeAll(async () => {
    fleet = await startFleet({
      agents: [{ name: 'near' }, { name: 'far', mode: 'dial-out', labels: { site: 'school' } }, { name: 'gone', mode: 'dial-out' }],
      probers: scriptedRegistry(),
      modules: { scripted: { prober: 'tcp', timeout: '5s' } },
      targets: [{ name: 'edge', module: 'scripted', targets: ['ok.test:1'], agents: {}, labels: {} }],
      userTls: true,
    });
    const ca = readFileSync(fleet.caFile);
    prometheus = new Agent({ connect: { ca, cert: readFileSync(fleet.client.certFile), key: readFileSync(fleet.client.keyFile) } });
    const agentFiles = await issueFiles(fleet.certDir, { kind: 'agent', name: 'sneaky' });
    agentCert = new Agent({ connect: { ca, cert: readFileSync(agentFiles.certFile), key: readFileSync(agentFiles.keyFile) } });
    const gone = fleet.exporters.find((e) => e.name === 'gone')!;
    gone.client.stop();
    await waitFor(async () => fleet.hub.tunnels.get('gone') === undefined);
  });
  afterAll(async () => {
    await prometheus?.close();
    await agentCert?.close();
    await fleet?.close();
  });

  test('a relayed /probe answers what a direct scrape of the same exporter does, timeout header included', async () => {
    const far = fleet.exporters.find((e) => e.name === 'far')!;
    const query = '?module=scripted&target=ok.test:1';
    const headers = { 'x-prometheus-scrape-timeout-seconds': '3' };
    const relayed = await get(`${fleet.hubUrl}/agents/far/probe${query}`, headers);
    const direct = await get(`${far.url}/probe${query}`, headers);
    expect(relayed.status).toBe(200);
    expect(relayed.type).toBe(direct.type);
    // Same bytes apart from the measured durations.
    const timeless = (s: string) => s.replace(/^(probe_duration_seconds|probe_[a-z_]*duration[a-z_]*)(\{[^}]*\})? .*$/gm, '$1$2 T');
    expect(timeless(relayed.body)).toBe(timeless(direct.body));
    expect(relayed.body).toMatch(/^probe_success 1$/m);
    // The exporter took 3 s less its 0.5 s offset: the header came through.
    expect(relayed.body).toMatch(/^probe_timeout_seconds 2\.5$/m);
    const bad = await get(`${fleet.hubUrl}/agents/far/probe?module=nope&target=ok.test:1`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/Unknown module "nope"/);
  });

  test('an agent that does not answer within the scrape timeout is a 504, and the relay serves the next scrape', async () => {
    const started = Date.now();
    const stuck = await get(`${fleet.hubUrl}/agents/far/probe?module=scripted&target=stuck.test:1`, { 'x-prometheus-scrape-timeout-seconds': '1' });
    const waited = Date.now() - started;
    expect(stuck.status).toBe(504);
    expect(JSON.parse(stuck.body).error).toMatchObject({ code: 'PULSE_AGENT_TIMEOUT' });
    // Never before the timeout Prometheus gave (the shared deadlines round up, never down).
    expect(waited).toBeGreaterThanOrEqual(1000);
    const next = await get(`${fleet.hubUrl}/agents/far/probe?module=scripted&target=ok.test:1`);
    expect(next.body).toMatch(/^probe_success 1$/m);
  });

  test('a relayed /metrics is the exporter\'s own', async () => {
    const m = await get(`${fleet.hubUrl}/agents/far/metrics`);
    expect(m.status).toBe(200);
    expect(m.body).toMatch(/^# TYPE pulse_exporter_/m);
  });

  test('a disconnected or unknown agent is a clear 503 or 404; an agent certificate may not relay', async () => {
    const gone = await get(`${fleet.hubUrl}/agents/gone/probe?module=scripted&target=ok.test:1`);
    expect(gone.status).toBe(503);
    expect(JSON.parse(gone.body).error).toMatchObject({ code: 'PULSE_AGENT_OFFLINE' });
    expect(JSON.parse(gone.body).error.message).toMatch(/tunnel to the hub is down/);
    const unknown = await get(`${fleet.hubUrl}/agents/nobody/metrics`);
    expect(unknown.status).toBe(404);
    const sneaky = await get(`${fleet.hubUrl}/agents/far/metrics`, {}, agentCert);
    // The users' port refuses agent and server certificates before any route runs.
    expect(sneaky.status).toBe(401);
    expect(JSON.parse(sneaky.body).error.code).toBe('PULSE_UNAUTHENTICATED');
  });

  test('/sd sends dial-out agents\' scrapes to the hub and direct agents\' to the agent', async () => {
    const sd = await get(`${fleet.hubUrl}/sd`);
    const groups = JSON.parse(sd.body) as SdGroup[];
    const byAgent = Object.fromEntries(groups.map((g) => [g.labels.agent, g]));
    const hub = new URL(fleet.hubUrl).host;
    expect(byAgent.far).toEqual({
      targets: [hub],
      labels: expect.objectContaining({
        __scheme__: 'https',
        __metrics_path__: '/agents/far/probe',
        __pulse_metrics_path__: '/agents/far/metrics',
        __param_module: 'scripted',
        __param_target: 'ok.test:1',
        site: 'school',
      }),
    });
    const near = fleet.exporters.find((e) => e.name === 'near')!;
    expect(byAgent.near!.targets).toEqual([new URL(near.url).host]);
    expect(byAgent.near!.labels.__metrics_path__).toBe('/probe');
    expect(byAgent.near!.labels.__pulse_metrics_path__).toBeUndefined();
    // Not connected: not a target, as an inactive direct agent is not.
    expect(byAgent.gone).toBeUndefined();
  });
});
