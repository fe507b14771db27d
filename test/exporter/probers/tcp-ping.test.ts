import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adHocModule } from '../../../lib/config/adhoc.js';
import { type CountingServer, countingServer, runWith } from '../../helpers/burst.js';
import { refusedPort } from '../../helpers/http-servers.js';

let server: CountingServer;
beforeAll(async () => {
  server = await countingServer((s) => s.resume());
});
afterAll(() => server.close());

const ping = (target: string, o: Record<string, unknown>) => runWith('tcp', { preferred_ip_protocol: 'ip4', ...o }, target);

describe('tcp prober: TCP ping', () => {
  it('connects `packets` times, `interval` apart, and reports RTT statistics and loss', async () => {
    const started = performance.now();
    const out = await ping(`127.0.0.1:${server.port}`, { packets: 4, interval: '100ms' });
    expect(out.reason).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(server.accepted()).toBe(4);
    expect(out.metrics.get('probe_tcp_ping_packets_sent')).toBe(4);
    expect(out.metrics.get('probe_tcp_ping_packets_received')).toBe(4);
    expect(out.metrics.get('probe_tcp_ping_packet_loss_ratio')).toBe(0);
    const min = out.metrics.get('probe_tcp_ping_rtt_seconds', { stat: 'min' })!;
    expect(min).toBeGreaterThan(0);
    expect(out.metrics.get('probe_tcp_ping_rtt_seconds', { stat: 'max' })).toBeGreaterThanOrEqual(min);
    expect((out.details.ping as { result: string }[]).map((r) => r.result)).toEqual(['open', 'open', 'open', 'open']);
    await expect.poll(() => server.open()).toBe(0);
  });

  it('counts an RST as an answer: the host is there, the port closed', async () => {
    const out = await ping(`127.0.0.1:${await refusedPort()}`, { packets: 2, interval: '10ms' });
    expect(out.success).toBe(true);
    expect((out.details.ping as { result: string }[]).map((r) => r.result)).toEqual(['refused', 'refused']);
  });

  it('refuses TCP ping combined with a dialogue or TLS', () => {
    expect(() => adHocModule('tcp', { packets: 3, tls: true })).toThrow('options: packets (TCP ping) cannot be combined with tls');
    expect(() => adHocModule('tcp', { packets: 0 })).toThrow(/options\.packets/);
  });
});
