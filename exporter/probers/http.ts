import type { Prober } from '../../lib/probe/types.js';
import { lazyRun } from './shared/lazy-run.js';
import { httpOptionsError } from '../../lib/config/probers/http-rules.js';
import { parseEndpoint, parseHttpTarget } from './http/target.js';

/** blackbox_exporter's http prober, plus Pulse's headers_only and endpoint. */
export const httpProber: Prober<'http'> = {
  validateTarget(target, options) {
    const parsed = parseHttpTarget(target);
    if (typeof parsed === 'string') return parsed;
    if (options.endpoint !== undefined) {
      const ep = parseEndpoint(options.endpoint, parsed.port);
      if (typeof ep === 'string') return ep;
    }
    if (options.proxy_url !== undefined) {
      try {
        new URL(options.proxy_url);
      } catch {
        // Not echoed: the URL may carry the proxy's password.
        return 'proxy_url is not a valid URL';
      }
    }
    return httpOptionsError(options);
  },
  run: lazyRun(async () => (await import('./http/run.js')).runHttp),
};
