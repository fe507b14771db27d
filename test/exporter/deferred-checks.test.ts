import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/load.js';
import type { Prober } from '../../lib/probe/types.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { buildExporter } from '../../exporter/server.js';

/**
 * Start-up waits only for the checks of probers the config uses: an mtr check that hangs (its
 * tool is slow to start) must not hold back the first tcp probe, and the mtr prober reports
 * available only once its check answers.
 */
describe('availability checks at start-up', () => {
  let target: Server;
  let port: number;

  beforeAll(async () => {
    target = createServer((s) => s.end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    port = (target.address() as { port: number }).port;
  });

  afterAll(() => {
    target.close();
  });

  it('answers a configured module before an unused prober has been checked', async () => {
    let answer: (reason: string | undefined) => void = () => undefined;
    const gate = new Promise<string | undefined>((resolve) => {
      answer = resolve;
    });
    const probers = defaultProbers();
    const mtr: Prober<'mtr'> = { ...probers.mtr, unavailable: () => gate };
    const ex = await buildExporter({ config: parseConfig('modules:\n  tcp_connect:\n    prober: tcp\n'), probers: { ...probers, mtr } });
    try {
      const probe = await ex.app.inject({ url: `/probe?module=tcp_connect&target=127.0.0.1:${port}` });
      expect(probe.body).toContain('probe_success 1');
      let settled = false;
      ex.state().checked.then(() => {
        settled = true;
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(settled).toBe(false);
      answer('mtr-packet not found');
      await ex.state().checked;
      expect(ex.state().unavailable.get('mtr')).toBe('mtr-packet not found');
      const metrics = await ex.app.inject({ url: '/metrics' });
      expect(metrics.body).toContain('pulse_exporter_prober_available{prober="mtr"} 0');
      expect(metrics.body).toContain('pulse_exporter_prober_available{prober="tcp"} 1');
    } finally {
      await ex.app.close();
    }
  });

  it('checks a configured prober before it answers', async () => {
    const probers = defaultProbers();
    const tcp: Prober<'tcp'> = { ...probers.tcp, unavailable: async () => 'turned off for this test' };
    const ex = await buildExporter({ config: parseConfig('modules:\n  tcp_connect:\n    prober: tcp\n'), probers: { ...probers, tcp } });
    try {
      expect(ex.state().unavailable.get('tcp')).toBe('turned off for this test');
      const probe = await ex.app.inject({ url: `/probe?module=tcp_connect&target=127.0.0.1:${port}` });
      expect(probe.body).toContain('probe_success 0');
    } finally {
      await ex.app.close();
    }
  });
});
