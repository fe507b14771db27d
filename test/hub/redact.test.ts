import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Measurement } from '../../hub/measurement.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { measure } from './client.js';

describe('measurements do not echo secrets', () => {
  let fleet: Fleet;
  let site: Server;
  let base = '';
  beforeAll(async () => {
    fleet = await startFleet({ agents: ['a1'] });
    // Answers 200 only with the right credentials: proves the agent got the real ones.
    site = createServer((req, res) => {
      const ok = req.headers.authorization === `Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}` && req.headers['x-team'] === 'web';
      res.writeHead(ok ? 200 : 401).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((r) => site?.close(r));
    await fleet?.close();
  });

  test('passwords, tokens and Authorization headers are sent to agents but stored and shown redacted', async () => {
    const options = { basic_auth: { username: 'alice', password: 's3cret-pw' }, headers: { 'X-Team': 'web', Authorization: 'Bearer leak-me' } };
    const m = await measure(fleet.hubUrl, { type: 'http', target: base, options });
    expect(m.rows[0]?.status).toBe('failed');
    const shown = (await (await fetch(`${fleet.hubUrl}/api/v1/measurements/${m.id}`)).json()) as Measurement;
    for (const x of [m, shown]) {
      expect(x.options).toEqual({ basic_auth: { username: 'alice', password: '<secret>' }, headers: { 'X-Team': 'web', Authorization: '<secret>' } });
      expect(JSON.stringify(x)).not.toMatch(/s3cret-pw|leak-me/);
    }
    // Without the header that overrides basic_auth, the real password reaches the site.
    const good = await measure(fleet.hubUrl, { type: 'http', target: base, options: { basic_auth: { username: 'alice', password: 's3cret-pw' }, headers: { 'X-Team': 'web' } } });
    expect(good.rows[0]?.status).toBe('ok');
    expect(good.options).toEqual({ basic_auth: { username: 'alice', password: '<secret>' }, headers: { 'X-Team': 'web' } });
  });
});
