import { readFileSync } from 'node:fs';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { ProberName } from '../../lib/config/module.js';
import { parseDuration } from '../../lib/duration.js';
import { TUNNEL_ANNOUNCEMENT_PATH } from '../../lib/tunnel.js';
import { advertisedUrl, buildAnnouncement } from '../announce.js';
import type { AnnounceResult, HubClient } from '../hub-client.js';
import type { Exporter } from '../server.js';
import { startTunnel, type TunnelLog } from './client.js';

const ANNOUNCE_WAIT_MS = 10_000;

/**
 * exporter.hub.mode: dial-out. The exporter keeps a tunnel open to the hub and serves it all its
 * routes, plus its announcement, which the hub asks for on connect (registration) and then at its
 * heartbeat interval. Loaded only in this mode, so a direct exporter never carries it.
 */
export function startDialOut(exporter: Exporter, address: AddressInfo | string | null, log: TunnelLog): HubClient {
  const settings = exporter.state().config.exporter.hub!;
  let waiters: Array<(r: AnnounceResult) => void> = [];

  const announce = (res: Http2ServerResponse) => {
    const state = exporter.state();
    const names: ProberName[] = [...state.limiters.keys()];
    let url: string;
    try {
      url = advertisedUrl(state, address);
    } catch {
      // Nobody calls a dial-out agent at its URL; it is shown in /agents/ for information only.
      url = 'https://0.0.0.0';
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(buildAnnouncement(state, url, names)));
    const done = waiters;
    waiters = [];
    for (const w of done) w({ ok: true, name: '' });
  };

  const handler = (req: Http2ServerRequest, res: Http2ServerResponse) => {
    if (req.method === 'GET' && req.url === TUNNEL_ANNOUNCEMENT_PATH) return announce(res);
    exporter.handle(req, res);
  };

  const tunnel = startTunnel({
    url: settings.url,
    tls: { ca: readFileSync(settings.ca_file), cert: readFileSync(settings.cert_file), key: readFileSync(settings.key_file) },
    proxyUrl: settings.proxy_url,
    handler,
    // One ping per heartbeat interval, each allowed as long to come back: a dead hub is found within two.
    keepaliveMs: Math.max(0.1, parseDuration(settings.heartbeat_interval ?? '15s')) * 1000,
    log,
  });

  return {
    stop() {
      tunnel.stop().catch(() => undefined);
    },
    /** Resolves when the hub next asks for the announcement (it does on every connect). */
    announceNow() {
      return new Promise<AnnounceResult>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== settle);
          resolve({ ok: false, reason: `the hub did not ask for this exporter's announcement within ${ANNOUNCE_WAIT_MS / 1000}s` });
        }, ANNOUNCE_WAIT_MS);
        timer.unref();
        const settle = (r: AnnounceResult) => {
          clearTimeout(timer);
          resolve(r);
        };
        waiters.push(settle);
      });
    },
  };
}
