import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import { issueFiles } from '../../lib/pki.js';
import { PROTOCOL_VERSION, REGISTER_PATH } from '../../lib/wire.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';

/** What an agent may announce: a URL on a host it owns, and labels that cannot pose as another agent. */

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({ agents: [] });
}, 30_000);
afterAll(() => fleet?.close());

const base = { protocol: PROTOCOL_VERSION, labels: {}, probers: ['tcp'], ip_versions: [4], version: 'test' };

/** Registers once as an agent whose certificate names `hosts`; connects from 127.0.0.1. */
async function register(name: string, hosts: string[], body: Record<string, unknown>) {
  const files = await issueFiles(fleet.certDir, { kind: 'agent', name, hosts, force: true });
  const dispatcher = new Agent({ connect: { ca: readFileSync(fleet.caFile), cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) } });
  try {
    const res = await request(`${fleet.agentUrl}${REGISTER_PATH}`, { method: 'POST', dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...base, ...body }) });
    return { status: res.statusCode, body: (await res.body.json()) as { url?: string; error?: { code: string; message: string } } };
  } finally {
    await dispatcher.destroy();
  }
}

const listed = (name: string) => fleet.hub.registry.list().find((a) => a.name === name);

test('a URL whose host is neither in the certificate nor the connecting address is refused, and never listed', async () => {
  // Never contacted: the hub refuses the announcement before anything would call it.
  const res = await register('squatter', ['squatter.test'], { url: 'https://198.51.100.7:9115' });
  expect(res.status).toBe(403);
  expect(res.body.error?.code).toBe('PULSE_FORBIDDEN');
  expect(res.body.error?.message).toMatch(/host "198\.51\.100\.7" is neither in this agent's certificate \(DNS:squatter\.test\) nor the address it connects from \(127\.0\.0\.1\)/);
  expect(listed('squatter')).toBeUndefined();
  const other = await register('squatter', ['squatter.test'], { url: 'https://someone-else.test:9115' });
  expect(other.status).toBe(403);
  expect(listed('squatter')).toBeUndefined();
});

test('a host among the certificate\'s names, or the address the agent connects from, is accepted', async () => {
  const bySan = await register('by-san', ['by-san.test'], { url: 'https://by-san.test:9115' });
  expect(bySan.status).toBe(200);
  expect(listed('by-san')?.url).toBe('https://by-san.test:9115');
  const byPeer = await register('by-peer', ['by-peer.test'], { url: 'https://127.0.0.1:9115' });
  expect(byPeer.status).toBe(200);
  const unspecified = await register('by-any', ['by-any.test'], { url: 'https://0.0.0.0:9115' });
  expect(unspecified.body.url).toBe('https://127.0.0.1:9115');
  const wildcard = await register('by-wild', ['*.wild.test'], { url: 'https://a.wild.test:9115' });
  expect(wildcard.status).toBe(200);
});

test('labels that would pose as another agent are refused with the reason', async () => {
  for (const label of ['name', 'agent', 'job', 'instance', 'asn', 'limit', 'same_as', '__address__']) {
    const res = await register('poser', ['127.0.0.1'], { url: 'https://127.0.0.1:1', labels: { site: 'ams', [label]: 'a2' } });
    expect(res.status, label).toBe(400);
    expect(res.body.error?.message).toMatch(new RegExp(`announcement /labels: label "${label}" (is reserved|starts with "__")`));
  }
  expect(listed('poser')).toBeUndefined();
  expect((await register('poser', ['127.0.0.1'], { url: 'https://127.0.0.1:1', labels: { site: 'ams', agent_kind: 'edge' } })).status).toBe(200);
});

test('an exporter config with a reserved label is refused naming the key', () => {
  expect(() => parseConfig('exporter:\n  labels:\n    site: ams\n    name: a2\n', 'agent.yml')).toThrow(/agent\.yml.*exporter\.labels\.name.*label "name" is reserved/s);
});
