import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { ParsedUrlQuery } from 'node:querystring';
import type { FastifyBaseLogger } from 'fastify';

/** What a route handler sees of a request: parsed once by the listener. */
export interface RouteRequest {
  raw: IncomingMessage | Http2ServerRequest;
  method: string;
  path: string;
  /** node:querystring's parse, as Fastify's: a repeated key is an array. */
  query: ParsedUrlQuery;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, for routes declared with `body: 'json'`. */
  body?: unknown;
  log: FastifyBaseLogger;
}

/** What a handler answers; thrown PulseErrors become `{error: {code, message}}` with their status. */
export interface RouteResult {
  status: number;
  contentType: string;
  body: string | Buffer;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Read and parse a JSON body (256 KiB at most) before the handler runs. */
  body?: 'json';
  handler(req: RouteRequest): Promise<RouteResult> | RouteResult;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

export function jsonResult(status: number, value: unknown): RouteResult {
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(value) };
}

export function textResult(status: number, body: string, contentType = TEXT_CONTENT_TYPE): RouteResult {
  return { status, contentType, body };
}
