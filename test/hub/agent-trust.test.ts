import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { certFiles, issueFiles } from '../../lib/pki.js';
import { PROTOCOL_VERSION, REGISTER_PATH } from '../../lib/wire.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure } from './client.js';
import { submit, waitFinished } from './operations-fixture.js';
import { scriptedRegistry } from './scripted-prober.js';

function mtls(fleet: Fleet, files: { certFile: string; keyFile: string }): Agent {
  return new Agent({ connect: { ca: readFileSync(fleet.caFile), cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) } });
}

async function postJson(url: string, body: unknown, dispatcher: Agent) {
  const res = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

const announcement = {
  protocol: PROTOCOL_VERSION,
  url: 'https://127.0.0.1:1',
  labels: {},
  probers: ['tcp', 'file_exists', 'file_contains', 'process_running'], ip_versions: [4], version: 'test' };

/** Answers by target host: what a broken or hostile agent might send with HTTP 200. */
const ANSWERS: Record<string, string> = {
  'null.test': 'null',
  'empty.test': '{}',
  'garbage.test': '{"success":"yes","details":5}',
  'list.test': '[1,2,3]',
};

describe('the hub does not trust what agents send', () => {
  let fleet: Fleet;
  let fake: Server;
  let fakeFiles: { certFile: string; keyFile: string };
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['a1'], probers: scriptedRegistry() });
    fakeFiles = await issueFiles(fleet.certDir, { kind: 'agent', name: 'fake', hosts: ['127.0.0.1'] });
    fake = createServer(
      { key: readFileSync(fakeFiles.keyFile), cert: readFileSync(fakeFiles.certFile), ca: readFileSync(fleet.caFile), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          const target = String((JSON.parse(body) as { target: string }).target).split(':')[0]!;
          res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWERS[target] ?? 'null');
        });
      },
    );
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const asFake = mtls(fleet, fakeFiles);
    try {
      const url = `https://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      const res = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, url }, asFake);
      expect(res.status).toBe(200);
    } finally {
      await asFake.destroy();
    }
  });
  afterAll(async () => {
    fake?.closeAllConnections();
    await new Promise((r) => fake?.close(r));
    await fleet?.close();
  });

  test.each(Object.keys(ANSWERS))('an answer like %s is a failed row, and the hub lives on', async (host) => {
    const m = await measure(fleet.hubUrl, { type: 'tcp', target: `${host}:1`, agents: { name: 'fake' }, timeout: 5 });
    expect(m.status).toBe('done');
    expect(m.rows).toHaveLength(1);
    expect(m.rows[0]).toMatchObject({ agent: 'fake', status: 'failed', reason: 'agent answer does not match protocol 1', result: null });
    // The hub still answers, and a good agent still works.
    const ok = await measure(fleet.hubUrl, { type: 'tcp', target: 'ok.test:1', agents: { name: 'a1' } });
    expect(ok.rows[0]?.status).toBe('ok');
  });

  test('a file_absent check against such an agent fails instead of crashing', async () => {
    const res = await submit(fleet.hubUrl, { operations: { gone: { type: 'file_absent', path: '/etc/nothing' } }, agents: { name: 'fake' }, timeout: 5 });
    expect(res.status).toBe(202);
    const { handle } = (await res.json()) as { handle: string };
    const op = await waitFinished(fleet.hubUrl, handle);
    expect(op.results).toHaveLength(1);
    expect(op.results[0]).toMatchObject({ agent: 'fake', check: 'gone', status: 'failed', error: 'agent answer does not match protocol 1' });
  });

  test('a client or server certificate cannot register as an agent', async () => {
    for (const files of [fleet.client, certFiles(fleet.certDir, 'hub')]) {
      const d = mtls(fleet, files);
      try {
        const res = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, announcement, d);
        expect(res.status).toBe(403);
        expect(res.body.error?.message).toMatch(/certificate cannot register as an agent/);
      } finally {
        await d.destroy();
      }
    }
    expect(fleet.hub.registry.list().map((a) => a.name).sort()).toEqual(['a1', 'fake']);
  });

  test('only the hub\'s certificate may run tests on an exporter, not an agent\'s or a client\'s', async () => {
    const run = { protocol: PROTOCOL_VERSION, type: 'tcp', target: 'ok.test:1' };
    const exporterUrl = `${fleet.exporters[0]!.url}/api/v1/run`;
    for (const files of [fakeFiles, fleet.client]) {
      const d = mtls(fleet, files);
      try {
        const res = await postJson(exporterUrl, run, d);
        expect(res.status).toBe(403);
        expect(res.body.error?.code).toBe('PULSE_FORBIDDEN');
      } finally {
        await d.destroy();
      }
    }
    const hub = mtls(fleet, certFiles(fleet.certDir, 'hub'));
    try {
      const res = await postJson(exporterUrl, run, hub);
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
    } finally {
      await hub.destroy();
    }
  });

  test('announced URLs that are not URLs are a 400 with a reason', async () => {
    const d = mtls(fleet, fakeFiles);
    try {
      for (const url of ['https://', 'http://[', 'https://a b']) {
        const res = await postJson(`${fleet.agentUrl}${REGISTER_PATH}`, { ...announcement, url }, d);
        expect(res.status).toBe(400);
        expect(res.body.error?.message).toMatch(/^announcement \/url: .* is not a valid URL$/);
      }
    } finally {
      await d.destroy();
    }
  });
});
