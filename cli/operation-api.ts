import { type Dispatcher, fetch } from 'undici';
import { describe, HubApiError, HubConnectionError } from './client.js';
import { isApiErrorBody, type Selector } from './core/api.js';

/**
 * Host-check operations as the hub's API shows them (POST /api/v1/operations, GET
 * /api/v1/operations/HANDLE). Plain types: the hub owns validation.
 */

// Type-only imports are erased by esbuild, so the web page's bundle shares them without pulling in hub code.
import type { Operation, OperationResult } from '../hub/operations/operation.js';

export type { Operation, OperationResult };
export type OperationStatus = OperationResult['status'];

export interface OperationRequest {
  operations: Record<string, unknown>;
  agents: Selector;
  timeout?: number;
}

export interface Submitted {
  handle: string;
  url: string;
}

const CALL_SECONDS = 30;

export async function submitOperation(hub: string, req: OperationRequest, dispatcher?: Dispatcher): Promise<Submitted> {
  return (await call(hub, dispatcher, 'POST', '/api/v1/operations', req)) as Submitted;
}

export async function fetchOperation(hub: string, handle: string, dispatcher?: Dispatcher): Promise<Operation> {
  return (await call(hub, dispatcher, 'GET', `/api/v1/operations/${encodeURIComponent(handle)}`)) as Operation;
}

async function call(hub: string, dispatcher: Dispatcher | undefined, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = `${hub.replace(/\/+$/, '')}${path}`;
  let res: Awaited<ReturnType<typeof fetch>>;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_SECONDS * 1000),
      ...(dispatcher ? { dispatcher } : {}),
    });
    text = await res.text();
  } catch (err) {
    throw new HubConnectionError(`cannot reach the hub at ${hub}: ${describe(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (isApiErrorBody(parsed)) throw new HubApiError(res.status, parsed.error.code, parsed.error.message);
    throw new HubApiError(res.status, `HTTP_${res.status}`, `${method} ${url} answered ${res.status} ${res.statusText}`);
  }
  if (parsed === undefined) throw new HubConnectionError(`${url} did not answer JSON`);
  return parsed;
}
