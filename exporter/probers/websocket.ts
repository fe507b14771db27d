import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';

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
  run: lazyRun(async () => (await import('./websocket/run.js')).runWebsocket),
};
