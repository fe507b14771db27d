import { describe, expect, it } from 'vitest';
import { defaultProbers } from '../../exporter/probers/index.js';
import { buildExporter } from '../../exporter/server.js';
import { resolveConfig } from '../../lib/config/load.js';

describe("the exporter's /metrics", () => {
  it('reports its host TCP sockets by family and state, its own listener among them', async () => {
    const exporter = await buildExporter({ config: resolveConfig({}), probers: defaultProbers() });
    try {
      await exporter.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (exporter.app.server.address() as { port: number }).port;
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('# TYPE pulse_host_tcp_sockets gauge');
      const value = (family: string, state: string) => Number(new RegExp(`^pulse_host_tcp_sockets\\{family="${family}",state="${state}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
      expect(value('4', 'listen')).toBeGreaterThanOrEqual(1);
      // This very scrape's connection is open while /metrics is read.
      expect(value('4', 'established')).toBeGreaterThanOrEqual(2);
      expect(value('6', 'time_wait')).toBeGreaterThanOrEqual(0);
    } finally {
      await exporter.app.close();
    }
  });
});
