import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import { HEARTBEAT_PATH, PROTOCOL_VERSION, REGISTER_PATH } from '../../lib/wire.js';
import { startHubClient } from '../../exporter/hub-client.js';
import { buildExporter } from '../../exporter/server.js';
import { createTestPki, type IssuedCert, type TestPki } from '../helpers/tls.js';
import { scriptedRegistry } from './scripted-prober.js';

/** A hub stand-in that refuses every announcement the way a hub with another protocol does. */
let pki: TestPki;
let hubCert: IssuedCert;
let agentCert: IssuedCert;
beforeAll(async () => {
  pki = await createTestPki();
  hubCert = await pki.issue('hub');
  agentCert = await pki.issue('edge-7');
});
afterAll(() => pki?.cleanup());

function captureLogger(): { log: FastifyBaseLogger; lines: Array<{ level: string; obj: unknown; msg: unknown }> } {
  const lines: Array<{ level: string; obj: unknown; msg: unknown }> = [];
  const at = (level: string) => (obj: unknown, msg?: unknown) => lines.push({ level, obj, msg });
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace'), fatal: at('fatal') };
  return { log: { ...log, child: () => log, level: 'info', silent: () => undefined } as unknown as FastifyBaseLogger, lines };
}

test('the exporter announces itself, heartbeats, and logs the hub\'s refusal with its reason', async () => {
  const bodies: Array<{ path: string; body: Record<string, unknown> }> = [];
  let refuse = false;
  const fake = Fastify({ https: { key: hubCert.key, cert: hubCert.cert, ca: pki.ca, requestCert: true, rejectUnauthorized: true } });
  const handler = async (req: { url: string; body: unknown }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
    bodies.push({ path: req.url, body: req.body as Record<string, unknown> });
    if (refuse) return reply.code(409).send({ error: { code: 'PULSE_PROTOCOL_MISMATCH', message: 'protocol 1 is not supported by this hub (it speaks 2)' } });
    return { protocol: PROTOCOL_VERSION, name: 'edge-7', url: 'https://127.0.0.1:1', heartbeat_interval_seconds: 15 };
  };
  fake.post(REGISTER_PATH, handler);
  fake.post(HEARTBEAT_PATH, handler);
  await fake.listen({ host: '127.0.0.1', port: 0 });
  const hubPort = (fake.server.address() as AddressInfo).port;

  const config = resolveConfig({
    exporter: {
      listen: '127.0.0.1:0',
      labels: { site: 'ams', rack: 'r7' },
      tls: { cert_file: agentCert.certFile, key_file: agentCert.keyFile, client_ca_file: pki.caFile },
      hub: { url: `https://127.0.0.1:${hubPort}`, ca_file: pki.caFile, cert_file: agentCert.certFile, key_file: agentCert.keyFile, heartbeat_interval: '1h' },
    },
  });
  const exporter = await buildExporter({ config, probers: scriptedRegistry() });
  await exporter.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (exporter.app.server.address() as AddressInfo).port;
  const { log, lines } = captureLogger();
  const client = startHubClient(exporter, exporter.app.server.address(), log)!;
  try {
    expect(await client.announceNow()).toEqual({ ok: true, name: 'edge-7' });
    expect(await client.announceNow()).toEqual({ ok: true, name: 'edge-7' });
    expect(bodies[0]!.path).toBe(REGISTER_PATH);
    expect(bodies.at(-1)!.path).toBe(HEARTBEAT_PATH);
    const body = bodies[0]!.body;
    expect(body).toMatchObject({ protocol: PROTOCOL_VERSION, url: `https://127.0.0.1:${port}`, labels: { site: 'ams', rack: 'r7' } });
    expect(body).not.toHaveProperty('name');
    // Probers that cannot run here are not announced.
    const unavailable = [...exporter.state().unavailable.keys()];
    expect(body.probers).toContain('tcp');
    for (const p of unavailable) expect(body.probers).not.toContain(p);

    refuse = true;
    const refused = await client.announceNow();
    expect(refused).toEqual({ ok: false, status: 409, reason: 'protocol 1 is not supported by this hub (it speaks 2)' });
    // Refused: the next attempt registers from scratch.
    await client.announceNow();
    expect(bodies.at(-1)!.path).toBe(REGISTER_PATH);
    const errors = lines.filter((l) => l.level === 'error');
    // Logged once, not on every beat.
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toBe('hub refused this exporter: protocol 1 is not supported by this hub (it speaks 2)');
  } finally {
    client.stop();
    await exporter.app.close();
    await fake.close();
  }
});

test('the exporter beats at the hub\'s interval when it is shorter than its own', async () => {
  let beats = 0;
  const fake = Fastify({ https: { key: hubCert.key, cert: hubCert.cert, ca: pki.ca, requestCert: true, rejectUnauthorized: true } });
  const handler = async (req: { url: string }) => {
    if (req.url === HEARTBEAT_PATH) beats++;
    return { protocol: PROTOCOL_VERSION, name: 'edge-7', url: 'https://127.0.0.1:1', heartbeat_interval_seconds: 0.2 };
  };
  fake.post(REGISTER_PATH, handler);
  fake.post(HEARTBEAT_PATH, handler);
  await fake.listen({ host: '127.0.0.1', port: 0 });
  const hubPort = (fake.server.address() as AddressInfo).port;
  const config = resolveConfig({
    exporter: {
      listen: '127.0.0.1:0',
      tls: { cert_file: agentCert.certFile, key_file: agentCert.keyFile, client_ca_file: pki.caFile },
      hub: { url: `https://127.0.0.1:${hubPort}`, ca_file: pki.caFile, cert_file: agentCert.certFile, key_file: agentCert.keyFile, heartbeat_interval: '1h' },
    },
  });
  const exporter = await buildExporter({ config, probers: scriptedRegistry() });
  await exporter.app.listen({ host: '127.0.0.1', port: 0 });
  const client = startHubClient(exporter, exporter.app.server.address(), captureLogger().log)!;
  try {
    // With its own 1h interval it would not beat again during this test at all.
    const until = Date.now() + 20_000;
    while (beats < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(beats).toBeGreaterThanOrEqual(3);
  } finally {
    client.stop();
    await exporter.app.close();
    await fake.close();
  }
});
