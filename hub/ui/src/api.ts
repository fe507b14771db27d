import type { HistoryPage, HistoryParams, Measurement, MeasurementRequest, Row, StreamDone } from '../../../client/api.js';
import { HubConnectionError } from '../../../client/errors.js';
import { HubClient } from '../../../client/http.js';
import type { TestTypeInfo } from '../../../lib/probers/spec.js';
import type { Agent } from '../../../client/api.js';
import { askToken, authHeaders } from './token.js';

/**
 * The page's hub: client/http.ts over the browser's fetch, on the origin the page came from,
 * with the tab's token; a 401 asks for one (unless another request just did).
 */
const hub = new HubClient({
  base: '',
  fetch: (url, init) => fetch(url, init),
  headers: authHeaders,
  retryUnauthorized: (message, sent) => sent.authorization !== authHeaders().authorization || askToken(message),
});

export function listAgents(): Promise<Agent[]> {
  return hub.agents();
}

/** The test types the hub offers (its prober catalog), for the page's tabs. */
export function listTestTypes(): Promise<TestTypeInfo[]> {
  return hub.types();
}

export function getMeasurement(id: string): Promise<Measurement> {
  return hub.measurement(id);
}

export function getHistory(params: HistoryParams): Promise<HistoryPage> {
  return hub.history(params);
}

/** Runs a measurement, calling `onRow` as each agent answers (NDJSON read as it streams). */
export async function runStreaming(req: MeasurementRequest, onRow: (row: Row) => void, signal?: AbortSignal): Promise<StreamDone> {
  for await (const item of hub.measure(req, signal)) {
    if ('done' in item) return item.done;
    onRow(item.row);
  }
  throw new HubConnectionError('the hub closed the answer before every agent had answered');
}
