import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWith } from '../../helpers/burst.js';

/**
 * The grpc, websocket and burst probers check the port as well as the address before they dial
 * (the agent's own ports on loopback), as http and tcp do. The server here counts connections, so
 * a refusal is seen to happen before any connection.
 */
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const modules: Array<[string, Record<string, unknown>, (p: number) => string]> = [
  ['grpc', { preferred_ip_protocol: 'ip4' }, (p) => `127.0.0.1:${p}`],
  ['websocket', { preferred_ip_protocol: 'ip4' }, (p) => `ws://127.0.0.1:${p}/`],
  ['burst', { preferred_ip_protocol: 'ip4', connections: 2, concurrency: 1 }, (p) => `127.0.0.1:${p}`],
];

describe('own ports on loopback', () => {
  for (const [prober, section, target] of modules) {
    it(`${prober}: refused before dialing when the port is the agent's own; dialed otherwise`, async () => {
      const before = connections;
      // The exporter's listen port is one of its own.
      const refused = await runWith(prober, section, target(port), '3s', { listen: `127.0.0.1:${port}` });
      expect(refused.success).toBe(false);
      expect(refused.reason).toMatch(/target not allowed by policy: port \d+ on loopback is this agent's own/);
      expect(connections).toBe(before);
      const allowed = await runWith(prober, section, target(port), '3s', { listen: '127.0.0.1:1' });
      expect(allowed.reason ?? '').not.toMatch(/policy/);
      expect(connections).toBeGreaterThan(before);
    });
  }
});
