import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** esbuild's entryNames `[name]-[hash]`: such a file never changes under its name. */
const HASHED = /^[a-z]+-[A-Z0-9]{8,}\.(js|css)$/;

/** hub/ui/dist, whether this file runs from the sources (hub/ui/), compiled (dist/hub/ui/) or bundled (bin/ui/). */
export function uiDistDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // scripts/bundle.mjs copies the page to bin/ui; this code is then in bin/ or in bin/pulse-hub/.
  if ((globalThis as { PULSE_BUNDLED_VERSION?: string }).PULSE_BUNDLED_VERSION !== undefined) {
    return /[\\/]pulse-hub[\\/]?$/.test(here) ? join(here, '..', 'ui') : join(here, 'ui');
  }
  return /[\\/]dist[\\/]hub[\\/]ui[\\/]?$/.test(here) ? join(here, '..', '..', '..', 'hub', 'ui', 'dist') : join(here, 'dist');
}

export interface UiOptions {
  /** Where the built page is; default hub/ui/dist (scripts/build-ui.mjs writes it). */
  dir?: string;
}

/**
 * The web page: `/` answers index.html (no-cache, revalidated by ETag, so a new build shows at
 * once) and `/ui/NAME-HASH.js|css` the bundle (immutable for a year: a new build has new names).
 */
export function registerUi(app: FastifyInstance, opts: UiOptions = {}): void {
  const dir = opts.dir ?? uiDistDir();

  // The page holds no data: it loads without a token and asks for one when the API answers 401.
  app.get('/', { config: { scope: 'public' } }, async (req, reply) => {
    let body: Buffer;
    try {
      body = await readFile(join(dir, 'index.html'));
    } catch {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type(TYPES.html!)
        .send(
          '<!doctype html><title>Pulse hub</title><h1>Pulse hub</h1><p>The web page is not built: run <code>npm run build</code>. The API works: <a href="/agents/">/agents/</a>, <a href="/sd">/sd</a>, <a href="/metrics">/metrics</a>.</p>',
        );
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    reply.header('cache-control', 'no-cache').header('etag', etag).header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(TYPES.html!).send(body);
  });

  app.get('/ui/:file', { config: { scope: 'public' } }, async (req, reply) => {
    const { file } = req.params as { file: string };
    if (!HASHED.test(file)) return reply.callNotFound();
    let body: Buffer;
    try {
      body = await readFile(join(dir, file));
    } catch {
      return reply.callNotFound();
    }
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .type(TYPES[file.slice(file.lastIndexOf('.') + 1)]!)
      .send(body);
  });
}
