import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { parse as parseQuery } from 'node:querystring';
import type { FastifyBaseLogger } from 'fastify';
import { urlTooLong } from '../../lib/client-errors.js';
import { errorResponse, routeNotFound } from '../../lib/error-response.js';
import { readJsonBody } from './body.js';
import { jsonResult, type Route, type RouteResult } from './routes.js';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;
export type RequestListener = (req: AnyRequest, res: AnyResponse) => void;

/**
 * One Node request listener for a table of routes: the exporter's whole HTTP layer. It serves
 * http/1 and http2-compat request objects alike (a dial-out tunnel hands in the latter). GET
 * routes answer HEAD too, as Fastify's did.
 */
export function createListener(routes: readonly Route[], log: FastifyBaseLogger): RequestListener {
  const debug = log.level === 'debug' || log.level === 'trace';
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const lookup = (method: string, path: string): Route | undefined => table.get(`${method === 'HEAD' ? 'GET' : method} ${path}`);

  return (req, res) => {
    const started = debug ? performance.now() : 0;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const route = lookup(method, path);
    const done = (result: RouteResult) => {
      send(res, method, result);
      if (debug) log.debug({ method, url, statusCode: result.status, responseTime: performance.now() - started }, 'request completed');
    };
    const long = urlTooLong(url);
    if (long) {
      done(errorResult(long));
      return;
    }
    if (!route) {
      done(errorResult(routeNotFound(method, path)));
      return;
    }
    const run = async (): Promise<RouteResult> => {
      const body = route.body === 'json' ? await readJsonBody(req) : undefined;
      return route.handler({ raw: req, method, path, query: parseQuery(q < 0 ? '' : url.slice(q + 1)), headers: req.headers, body, log });
    };
    run().then(done, (err: unknown) => {
      const out = errorResponse(err);
      if (out.internal) log.error({ err }, 'request failed');
      done(jsonResult(out.status, out.body));
    });
  };
}

/** An error as the exporter's answer: the same status and code as the hub's (lib/error-response.ts). */
export function errorResult(err: unknown): RouteResult {
  const out = errorResponse(err);
  return jsonResult(out.status, out.body);
}

function send(res: AnyResponse, method: string, result: RouteResult): void {
  if (res.headersSent || res.destroyed) return;
  const length = typeof result.body === 'string' ? Buffer.byteLength(result.body) : result.body.length;
  (res as ServerResponse).writeHead(result.status, { 'content-type': result.contentType, 'content-length': length });
  if (method === 'HEAD') res.end();
  else (res as ServerResponse).end(result.body);
}
