// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} is a Go Regexp.Expand reference, meant literally
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { runModule } from '../../helpers/http-probe.js';

/** The websocket prober (blackbox main branch) against a real `ws` server started here. */
let wss: WebSocketServer;
let port: number;
const upgrades: IncomingMessage[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    verifyClient: ({ req }, cb) => (req.url === '/private' && req.headers.authorization !== 'Bearer t' ? cb(false, 403) : cb(true)),
  });
  wss.on('connection', (ws, req) => {
    upgrades.push(req);
    ws.send('hello v1.2');
    ws.on('message', (m) => {
      const text = m.toString();
      if (text.startsWith('ping ')) ws.send(`pong ${text.slice(5)}`);
    });
  });
  await new Promise<void>((resolve) => wss.on('listening', resolve));
  port = (wss.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((r) => wss.close(r));
});

const probe = (ws: Record<string, unknown>, path = '/') => runModule('websocket', { preferred_ip_protocol: 'ip4', ...ws }, `ws://127.0.0.1:${port}${path}`, '5s');

describe('websocket prober', () => {
  it('upgrades, then runs the message dialogue with the match expanded into the next send', async () => {
    const out = await probe({
      headers: { 'X-Probe': { values: ['pulse'] } },
      query_response: [{ expect: '^hello v([0-9.]+)$', send: 'ping ${1}' }, { expect: '^pong 1\\.2$' }],
    });
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_websocket_connection_upgraded')).toBe(1);
    expect(out.metrics.get('probe_websocket_status_code')).toBe(101);
    expect(out.metrics.get('probe_websocket_failed_due_to_regex')).toBe(0);
    expect(out.metrics.get('probe_websocket_duration_seconds', { phase: 'transfer' })).toBeGreaterThan(0);
    expect(upgrades.at(-1)!.headers['x-probe']).toBe('pulse');
  });

  it('fails with probe_websocket_failed_due_to_regex when a message does not match', async () => {
    const out = await probe({ query_response: [{ expect: '^bye' }] });
    expect(out.success).toBe(false);
    expect(out.metrics.get('probe_websocket_failed_due_to_regex')).toBe(1);
    expect(out.reason).toBe('step 0: message "hello v1.2" does not match "^bye"');
  });

  it('reports the refused upgrade status, and sends http_config credentials', async () => {
    const refused = await probe({}, '/private');
    expect(refused.success).toBe(false);
    expect(refused.metrics.get('probe_websocket_status_code')).toBe(403);
    expect(refused.metrics.get('probe_websocket_connection_upgraded')).toBe(0);
    const allowed = await probe({ http_config: { authorization: { credentials: 't' } } }, '/private');
    expect(allowed.reason).toBeUndefined();
  });
});
