import { REQUEST_TIMEOUT_MS } from '../../lib/json-body.js';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { ServerOptions as TlsServerOptions } from 'node:https';
import { lazyBuiltin } from '../../lib/lazy-builtin.js';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { InjectOptions, Response as InjectResponse } from 'light-my-request';
import { installClientErrors } from '../../lib/client-errors.js';
import type { RequestListener } from './listener.js';

/** node:https only for an exporter with exporter.tls (see lib/lazy-builtin.ts). */
const nodeHttps = lazyBuiltin<typeof import('node:https')>('node:https');

/** What Fastify keeps an idle keep-alive connection for; the hub reads it from `Keep-Alive:`. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * The part of a Fastify instance the exporter's callers use (main, quickstart, tests, other
 * issues' code): listen, the Node server, close, inject and the logger. Built on node:http(s)
 * directly: Fastify with its router, hooks, ajv and pino cost the agent about 20 MB resident.
 */
export interface ExporterApp {
  readonly server: Server;
  readonly log: FastifyBaseLogger;
  /** Resolves with the address it listens on, as `http://host:port`. */
  listen(opts: { host?: string; port?: number }): Promise<string>;
  /** Stops listening, closes idle connections and waits for requests in flight. */
  close(): Promise<void>;
  /** A request straight into the listener, no socket (light-my-request, loaded on first use). */
  inject(opts: InjectOptions | string): Promise<InjectResponse>;
}

export function createApp(listener: RequestListener, log: FastifyBaseLogger, tls?: TlsServerOptions): ExporterApp {
  const handler = listener as Parameters<typeof createHttpServer>[1] & object;
  const server: Server = tls ? nodeHttps().createServer(tls, handler) : createHttpServer(handler);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  installClientErrors(server);
  // A client that sends headers and then trickles (or never sends) the body is cut off (slowloris).
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(server.headersTimeout, REQUEST_TIMEOUT_MS);
  const scheme = tls ? 'https' : 'http';
  let closing: Promise<void> | undefined;
  return {
    server,
    log,
    listen({ host = 'localhost', port = 0 }) {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen({ host, port }, () => {
          server.off('error', onError);
          const a = server.address() as AddressInfo;
          const url = `${scheme}://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
          log.info(`Server listening at ${url}`);
          resolve(url);
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        // A connection whose request finishes after close() would otherwise idle for the whole
        // keep-alive timeout before the server could stop.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        sweep.unref();
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
    async inject(opts) {
      const { inject } = await import('light-my-request');
      return inject(handler, opts);
    },
  };
}
