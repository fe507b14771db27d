import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withHostname } from '../../exporter/probe-hostname.js';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { resolveConfig } from '../../lib/config/load.js';
import { startServer, type TestServer } from '../helpers/http-servers.js';

/** blackbox 0.25+'s `hostname` parameter of /probe, through the exporter's real /probe route. */
let app: TestServer;
let exporter: Exporter;
const modules = {
  web: { prober: 'http', timeout: '5s' },
  pinned: { prober: 'http', timeout: '5s', http: { headers: { host: 'pinned.test' } } },
  port: { prober: 'tcp', timeout: '5s' },
  dns: { prober: 'dns', timeout: '5s', dns: { query_name: 'pulse.test' } },
};

beforeAll(async () => {
  app = await startServer((_req, res) => res.end('ok'));
  exporter = await buildExporter({ config: resolveConfig({ modules }) });
});

afterAll(async () => {
  await exporter.app.close();
  await app.close();
});

const get = (q: string) => exporter.app.inject({ method: 'GET', url: `/probe?${q}` });

describe('/probe?hostname=', () => {
  it('sends it as the Host header of an http probe', async () => {
    const res = await get(`module=web&target=${encodeURIComponent(app.origin)}&hostname=vhost.pulse.test`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('probe_success 1');
    expect(app.requests.at(-1)!.headers.host).toBe('vhost.pulse.test');
  });

  it('refuses a hostname that contradicts the module Host header, as blackbox', async () => {
    const res = await get(`module=pinned&target=${encodeURIComponent(app.origin)}&hostname=other.test`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe("host header defined both in module configuration (pinned.test) and with URL-parameter 'hostname' (other.test)\n");
    expect((await get(`module=pinned&target=${encodeURIComponent(app.origin)}&hostname=pinned.test`)).statusCode).toBe(200);
  });

  it('refuses a hostname that is not a host name', async () => {
    const res = await get(`module=web&target=${encodeURIComponent(app.origin)}&hostname=${encodeURIComponent('a\r\nX-Evil: 1')}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/is not a host name or address/);
  });

  it('sets tls_config.server_name of tcp modules unless set, and leaves other probers alone', () => {
    const cfg = resolveConfig({ modules });
    expect(withHostname(cfg.modules.port!, 'mail.test').tcp?.tls_config?.server_name).toBe('mail.test');
    const set = { ...cfg.modules.port!, tcp: { ...cfg.modules.port!.tcp!, tls_config: { server_name: 'kept.test' } } };
    expect(withHostname(set, 'mail.test').tcp?.tls_config?.server_name).toBe('kept.test');
    expect(withHostname(cfg.modules.dns!, 'x.test')).toBe(cfg.modules.dns);
    expect(cfg.modules.web!.http!.headers).toEqual({});
  });
});
