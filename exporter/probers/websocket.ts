import type { Prober } from '../../lib/probe/types.js';

/** blackbox_exporter's websocket prober (main branch): target a ws:// or wss:// URL. */
export const websocketProber: Prober<'websocket'> = {
  validateTarget(target) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return `target "${target}" is not a URL`;
    }
    return url.protocol === 'ws:' || url.protocol === 'wss:' ? undefined : `target must be a ws:// or wss:// URL, got "${url.protocol}"`;
  },
  // ws is loaded with the first websocket probe: an agent that never runs one does not carry it.
  run: async (ctx) => (await import('./websocket/run.js')).runWebsocket(ctx),
};
