import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUi } from '../../hub/ui/serve.js';
import { ROOT } from './browser.js';

let dir: string;
let app: FastifyInstance;
let js: string;
let css: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-ui-'));
  await execa('node', [join(ROOT, 'scripts/build-ui.mjs'), '--out', dir]);
  const files = await readdir(dir);
  js = files.find((f) => f.endsWith('.js'))!;
  css = files.find((f) => f.endsWith('.css'))!;
  app = Fastify();
  registerUi(app, { dir });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the built page', () => {
  it('has content-hashed assets named in index.html, and nothing from outside', async () => {
    expect(js).toMatch(/^app-[A-Z0-9]{8,}\.js$/);
    expect(css).toMatch(/^style-[A-Z0-9]{8,}\.css$/);
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html).toContain(`src="/ui/${js}"`);
    expect(html).toContain(`href="/ui/${css}"`);
    expect(html).not.toContain('{{');
    // Every link the page loads is on the hub itself (the browser test checks the requests too).
    const links = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/^(\/|#|data:)/);
    const style = await readFile(join(dir, css), 'utf8');
    expect(style).not.toMatch(/@import|url\(\s*['"]?https?:/i);
  });
});

describe('registerUi', () => {
  it('serves index.html at / with no-cache and an ETag that revalidates', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain(js);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await app.inject({ url: '/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves hashed assets as immutable with their type', async () => {
    const res = await app.inject({ url: `/ui/${js}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const style = await app.inject({ url: `/ui/${css}` });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves nothing else from the directory', async () => {
    expect((await app.inject({ url: '/ui/index.html' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/ui/app-AAAAAAAA.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/ui/..%2Fpackage.json' })).statusCode).toBe(404);
  });

  it('says how to build the page when it is not built', async () => {
    const bare = Fastify();
    registerUi(bare, { dir: join(dir, 'missing') });
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
    await bare.close();
  });
});
