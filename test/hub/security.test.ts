import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { certFiles, issueFiles } from '../../lib/pki.js';
import { PROTOCOL_VERSION, REGISTER_PATH } from '../../lib/wire.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure, post } from './client.js';
import { scriptedRegistry } from './scripted-prober.js';

function mtls(fleet: Fleet, files?: { certFile: string; keyFile: string }): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(fleet.caFile),
      ...(files ? { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) } : {}),
    },
  });
}

const announcement = {
  protocol: PROTOCOL_VERSION,
  url: 'https://127.0.0.1:1',
  labels: {},
  probers: ['tcp'],
  ip_versions: [4],
  version: 'test',
};

async function postJson(url: string, body: unknown, dispatcher: Agent) {
  const res = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

describe('who may talk to whom', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['a1', 'a2'], probers: scriptedRegistry() });
  });
  afterAll(() => fleet?.close());

  test('an exporter with a certificate from another CA cannot register', async () => {
    const intruder = await fleet.addExporter({ name: 'intruder', foreignCa: true });
    const result = await intruder.client.announceNow();
    expect(result.ok).toBe(false);
    expect(fleet.hub.registry.list().map((a) => a.name)).toEqual(['a1', 'a2']);
    const agents = (await (await fetch(`${fleet.hubUrl}/agents/`)).json()) as { agents: Array<{ name: string }> };
    expect(agents.agents.map((a) => a.name)).toEqual(['a1', 'a2']);
  });

  test('a client without a certificate cannot reach the agent port', async () => {
    const noCert = mtls(fleet);
    try {
      await expect(postJson(`${fleet.agentUrl}${REGISTER_PATH}`, announcement, noCert)).rejects.toThrow();
    } finally {
      await noCert.destroy();
    }
  });

  test('a client without a certificate cannot reach an exporter; the hub\'s certificate can', async () => {
    const exporterUrl = fleet.exporters[0]!.url;
    const run = { protocol: PROTOCOL_VERSION, type: 'tcp', target: 'ok.test:1' };
    const noCert = mtls(fleet);
    const withCert = mtls(fleet, certFiles(fleet.certDir, 'hub'));
    try {
      await expect(postJson(`${exporterUrl}/api/v1/run`, run, noCert)).rejects.toThrow();
      await expect(request(`${exporterUrl}/probe?module=x&target=ok.test:1`, { dispatcher: noCert })).rejects.toThrow();
      const ok = await postJson(`${exporterUrl}/api/v1/run`, run, withCert);
      expect(ok.status).toBe(200);
      expect(ok.body.success).toBe(true);
    } finally {
      await noCert.destroy();
      await withCert.destroy();
    }
  });

  test('an agent cannot register under a name other than its CN', async () => {
    const a1 = fleet.exporters.find((e) => e.name === 'a1')!;
    const cfg = a1.exporter.state().config.exporter.hub!;
    const asA1 = mtls(fleet, { certFile: cfg.cert_file, keyFile: cfg.key_file });
    try {
      const refused = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, name: 'a2' }, asA1);
      expect(refused.status).toBe(400);
      expect(refused.body.error?.message).toMatch(/CN of its certificate \("a1"\)/);
      const accepted = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, labels: { spoof: 'no' } }, asA1);
      expect(accepted.status).toBe(200);
      expect(accepted.body.name).toBe('a1');
      const a2 = fleet.hub.registry.list().find((a) => a.name === 'a2')!;
      expect(a2.labels).toEqual({});
      expect(fleet.hub.registry.list().find((a) => a.name === 'a1')!.labels).toEqual({ spoof: 'no' });
    } finally {
      await asA1.destroy();
      // Back to its real announcement.
      await a1.client.announceNow();
    }
  });

  test('an agent cannot announce another agent\'s URL and answer in its place', async () => {
    const a2 = fleet.exporters.find((e) => e.name === 'a2')!;
    const files = await issueFiles(fleet.certDir, { kind: 'agent', name: 'mallory', hosts: ['127.0.0.1'] });
    const mallory = mtls(fleet, files);
    try {
      const hijack = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, url: a2.url }, mallory);
      expect(hijack.status).toBe(200);
      const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'mallory' } });
      expect(m.rows[0]).toMatchObject({ agent: 'mallory', status: 'offline', result: null });
      expect(m.rows[0]!.reason).toMatch(/is "a2", not agent "mallory"/);
      // Nor point the hub at a plain-HTTP URL: the hub calls agents over mutual TLS only.
      const plain = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, url: 'http://127.0.0.1:9' }, mallory);
      expect(plain.status).toBe(200);
      const m2 = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'mallory' } });
      expect(m2.rows[0]).toMatchObject({ agent: 'mallory', status: 'failed', reason: expect.stringMatching(/plain HTTP/) });
    } finally {
      await mallory.destroy();
    }
  });

  test('a protocol the hub cannot speak is refused with a reason /agents/ shows', async () => {
    const files = await issueFiles(fleet.certDir, { kind: 'agent', name: 'future', hosts: ['127.0.0.1'] });
    const future = mtls(fleet, files);
    try {
      const res = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { protocol: 99, something_new: true, version: '9.0.0' }, future);
      expect(res.status).toBe(409);
      expect(res.body.error?.code).toBe('PULSE_PROTOCOL_MISMATCH');
      const agents = (await (await fetch(`${fleet.hubUrl}/agents/`)).json()) as {
        agents: Array<{ name: string; active: boolean; refused: string | null; version: string; protocol: number }>;
      };
      const row = agents.agents.find((a) => a.name === 'future')!;
      expect(row).toMatchObject({ active: false, version: '9.0.0', protocol: 99 });
      expect(row.refused).toMatch(/protocol 99 is not supported/);
      // Refused agents are in every answer, as offline, and are not called.
      const m = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
      expect(m.rows.find((r) => r.agent === 'future')).toMatchObject({ status: 'offline' });
    } finally {
      await future.destroy();
    }
  });

  test('the announcement is checked: bad URL or labels are a 400', async () => {
    const files = await issueFiles(fleet.certDir, { kind: 'agent', name: 'sloppy', hosts: ['127.0.0.1'] });
    const sloppy = mtls(fleet, files);
    try {
      const badUrl = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, url: 'ftp://x' }, sloppy);
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.error?.message).toMatch(/^announcement \/url: /);
      const badLabel = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, labels: { 'bad-name': 'v' } }, sloppy);
      expect(badLabel.status).toBe(400);
      expect(badLabel.body.error?.code).toBe('PULSE_BAD_REQUEST');
      expect(fleet.hub.registry.list().some((a) => a.name === 'sloppy')).toBe(false);
    } finally {
      await sloppy.destroy();
    }
  });
});

describe('hub restart', () => {
  test('agents are still listed; old measurement handles still answer from the result store', async () => {
    const fleet = await startFleet({ agents: ['r1', 'r2'], probers: scriptedRegistry() });
    try {
      const before = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1' });
      expect((await fetch(`${fleet.hubUrl}/api/v1/measurements/${before.id}`)).status).toBe(200);
      await fleet.restartHub();
      // Straight from the store, before any heartbeat reached the new hub.
      const listed = (await (await fetch(`${fleet.hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; url: string }> };
      expect(listed.agents.map((a) => a.name)).toEqual(['r1', 'r2']);
      expect(listed.agents[0]!.url).toBe(fleet.exporters[0]!.url);
      const kept = await fetch(`${fleet.hubUrl}/api/v1/measurements/${before.id}`);
      expect(kept.status).toBe(200);
      expect(((await kept.json()) as { id: string }).id).toBe(before.id);
      const after = await post(fleet.hubUrl, '/api/v1/measurements', { type: 'tcp', target: 'ok.test:1' });
      expect(((await after.json()) as { summary: unknown }).summary).toEqual({ ok: 2, failed: 0, timeout: 0, offline: 0 });
    } finally {
      await fleet.close();
    }
  });
});
