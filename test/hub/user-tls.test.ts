import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { resolveConfig } from '../../lib/config/load.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { createTestPki, type IssuedCert, type TestPki } from '../helpers/tls.js';

let pki: TestPki;
let hub: Hub;
let user: IssuedCert;
let url = '';

beforeAll(async () => {
  pki = await createTestPki();
  const cert = await pki.issue('hub');
  user = await pki.issue('alice', { usage: 'client' });
  const config = resolveConfig({
    hub: {
      listen: '127.0.0.1:0',
      agent_listen: '127.0.0.1:0',
      tls: { cert_file: cert.certFile, key_file: cert.keyFile, client_ca_file: pki.caFile },
      agent_tls: { cert_file: cert.certFile, key_file: cert.keyFile, ca_file: pki.caFile },
    },
  });
  hub = await buildHub({ config, store: new MemoryAgentStore() });
  url = `https://${(await hub.listen()).user}`;
});
afterAll(async () => {
  await hub?.close();
  await pki?.cleanup();
});

test('hub.tls with client_ca_file: the users\' port is HTTPS and wants a client certificate', async () => {
  const anonymous = new Agent({ connect: { ca: readFileSync(pki.caFile) } });
  const alice = new Agent({ connect: { ca: readFileSync(pki.caFile), cert: user.cert, key: user.key } });
  try {
    await expect(request(`${url}/agents/`, { dispatcher: anonymous }).then((r) => r.body.text())).rejects.toThrow();
    const res = await request(`${url}/agents/`, { dispatcher: alice });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ agents: [] });
  } finally {
    await anonymous.destroy();
    await alice.destroy();
  }
});
