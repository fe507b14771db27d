import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketsProber } from '../../../exporter/probers/sockets.js';
import { parseRemoteFilter } from '../../../exporter/sockets/filter.js';
import { type CountingServer, countingServer, runWith } from '../../helpers/burst.js';

let server: CountingServer;
const clients: ReturnType<typeof connect>[] = [];
beforeAll(async () => {
  server = await countingServer((s) => s.resume());
  for (let i = 0; i < 3; i++) {
    const c = connect({ host: '127.0.0.1', port: server.port });
    await new Promise((r) => c.once('connect', r));
    clients.push(c);
  }
  while (server.open() < 3) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
});

describe('sockets prober', () => {
  it("lists the agent's own sockets to a remote address and port, by state", async () => {
    const out = await runWith('sockets', {}, `127.0.0.1:${server.port}`);
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_tcp_sockets', { family: '4', state: 'established' })).toBe(3);
    expect(out.metrics.get('probe_tcp_sockets', { family: '4', state: 'listen' })).toBe(0);
    const listed = out.details.sockets as { local: { port: number }; remote: { port: number } }[];
    expect(listed.map((s) => s.local.port).sort()).toEqual(clients.map((c) => c.localPort).sort());
  });

  it('narrows to states, and keeps counting past the listed maximum', async () => {
    const out = await runWith('sockets', { states: ['established'], max_listed: 1 }, `*:${server.port}`);
    expect(out.details.total).toBe(3);
    expect(out.details.sockets).toHaveLength(1);
  });

  it('refuses a filter that is not an address and port', () => {
    expect(socketsProber.validateTarget('example.org:80', {} as never)).toMatch(/is not an IP address/);
    expect(parseRemoteFilter('[::1]:443')).toEqual({ address: '::1', port: 443 });
    expect(parseRemoteFilter('*')).toEqual({});
    expect(parseRemoteFilter('10.0.0.1:0')).toBe('port 0 is out of range (1-65535)');
  });
});
