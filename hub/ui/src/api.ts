import {
  type Agent,
  type HistoryPage,
  type HistoryParams,
  historyPath,
  isApiErrorBody,
  isStreamDone,
  type Measurement,
  type MeasurementRequest,
  type Row,
  type StreamDone,
} from '../../../cli/core/api.js';
import { NdjsonDecoder } from '../../../cli/core/stream.js';
import { askToken, authHeaders, savedToken } from './token.js';
import type { TestTypeInfo } from '../../../lib/probers/spec.js';

/** An error to show the user as it is: the hub's own words, or what went wrong reaching it. */
export class ShownError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ShownError';
  }
}

/** How often a refused token is asked for again before the hub's answer is shown. */
const TOKEN_ATTEMPTS = 3;

async function call(path: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    const sent = savedToken();
    try {
      res = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), ...authHeaders() } });
    } catch (err) {
      throw new ShownError(`Could not reach the hub: ${(err as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    // The hub wants a token (or a better one): ask, and send the request again with it.
    // Another request may have asked meanwhile: then only try again with that token.
    if (res.status === 401 && attempt < TOKEN_ATTEMPTS && (savedToken() !== sent || askToken(isApiErrorBody(body) ? body.error.message : 'HTTP 401'))) continue;
    return refused(res, text, body);
  }
}

function refused(res: Response, text: string, body: unknown): never {
  if (isApiErrorBody(body)) throw new ShownError(body.error.message, body.error.code);
  throw new ShownError(`The hub answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

export async function listAgents(): Promise<Agent[]> {
  const res = await call('/agents/', { headers: { accept: 'application/json' } });
  const body = (await res.json()) as { agents: Agent[] };
  return body.agents;
}

/** The test types the hub offers (its prober catalog), for the page's tabs. */
export async function listTestTypes(): Promise<TestTypeInfo[]> {
  const res = await call('/api/v1/types', { headers: { accept: 'application/json' } });
  return ((await res.json()) as { types: TestTypeInfo[] }).types;
}

export async function getMeasurement(id: string): Promise<Measurement> {
  const res = await call(`/api/v1/measurements/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } });
  return (await res.json()) as Measurement;
}

export async function getHistory(params: HistoryParams): Promise<HistoryPage> {
  const res = await call(historyPath(params), { headers: { accept: 'application/json' } });
  return (await res.json()) as HistoryPage;
}

/** Runs a measurement, calling `onRow` as each agent answers (NDJSON read as it streams). */
export async function runStreaming(req: MeasurementRequest, onRow: (row: Row) => void, signal?: AbortSignal): Promise<StreamDone> {
  const res = await call('/api/v1/measurements', {
    method: 'POST',
    headers: { accept: 'application/x-ndjson', 'content-type': 'application/json' },
    body: JSON.stringify(req),
    ...(signal ? { signal } : {}),
  });
  if (!res.body) throw new ShownError('The hub answered without a body');
  const reader = res.body.getReader();
  const text = new TextDecoder();
  const decoder = new NdjsonDecoder();
  let done: StreamDone | undefined;
  const take = (items: unknown[]) => {
    for (const item of items) {
      if (isStreamDone(item)) done = item;
      else if (isApiErrorBody(item)) throw new ShownError(item.error.message, item.error.code);
      else onRow(item as Row);
    }
  };
  try {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      take(decoder.push(text.decode(value, { stream: true })));
    }
    take(decoder.end());
  } catch (err) {
    if (err instanceof ShownError) throw err;
    throw new ShownError(`The hub's answer broke off: ${(err as Error).message}`);
  }
  if (!done) throw new ShownError('The hub closed the answer before every agent had answered');
  return done;
}
