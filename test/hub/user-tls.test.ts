import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { IssuedCert, TestPki } from '../helpers/tls.js';
import { startTlsUserHub, type TlsUserHub } from '../helpers/tls-hub.js';

let pki: TestPki;
let user: IssuedCert;
let url = '';
let fleet: TlsUserHub | undefined;

beforeAll(async () => {
  fleet = await startTlsUserHub();
  ({ pki, user, url } = fleet);
});
afterAll(async () => {
  await fleet?.close();
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
