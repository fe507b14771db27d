import type { TestTypeInfo } from '../lib/probers/spec.js';
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
} from './api.js';
import { HubApiError, HubConnectionError } from './errors.js';
import type { Operation, OperationRequest, Submitted } from './operations.js';
import { NdjsonDecoder } from './stream.js';

/**
 * The one HTTP client of the hub's users' API, for the `pulse` command (Node, undici's fetch with
 * its TLS and token dispatcher) and the web page (the browser's fetch). Only what both have is
 * used: a fetch that answers a web Response, whose body is read as a web stream.
 */

/** What the client needs of a Response: the browser's and undici's both have it. */
export interface FetchResponse {
  ok: boolean;
  status: number;
  statusText: string;
  text(): Promise<string>;
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface HubClientOptions {
  /** The hub's URL; '' for the page, which talks to the origin it came from. */
  base: string;
  fetch: FetchLike;
  /** Headers sent with every request (the page's saved token), read anew each time. */
  headers?: () => Record<string, string>;
  /**
   * Asked when the hub answers 401, with the hub's words and the headers that were sent: true to
   * send the request again (the page asks the user for a token, or another request just did). The
   * CLI has no one to ask and leaves it out.
   */
  retryUnauthorized?: (message: string, sent: Record<string, string>) => boolean;
}

export type StreamItem = { row: Row } | { done: StreamDone };

/** Seconds the client waits beyond the measurement's own timeout before giving up on the hub. */
const GRACE_SECONDS = 15;
/** Seconds for the calls that answer at once (lists, one measurement, an operation). */
const CALL_SECONDS = 30;
/** How often a refused token is asked for again before the hub's answer is shown. */
const TOKEN_ATTEMPTS = 3;

export class HubClient {
  readonly base: string;

  constructor(private readonly opts: HubClientOptions) {
    this.base = opts.base.replace(/\/+$/, '');
  }

  async agents(): Promise<Agent[]> {
    const body = (await this.json('GET', '/agents/')) as { agents?: Agent[] };
    if (!Array.isArray(body.agents)) throw new HubConnectionError(`${this.base}/agents/ did not answer an agent list`);
    return body.agents;
  }

  /** The test types the hub offers (its prober catalog). */
  async types(): Promise<TestTypeInfo[]> {
    const body = (await this.json('GET', '/api/v1/types')) as { types?: TestTypeInfo[] };
    if (!Array.isArray(body.types)) throw new HubConnectionError(`${this.base}/api/v1/types did not answer a type list`);
    return body.types;
  }

  async measurement(id: string): Promise<Measurement> {
    return (await this.json('GET', `/api/v1/measurements/${encodeURIComponent(id)}`)) as Measurement;
  }

  /** One page of past rows, newest first. */
  async history(params: HistoryParams): Promise<HistoryPage> {
    const body = (await this.json('GET', historyPath(params))) as HistoryPage;
    if (!Array.isArray(body.rows)) throw new HubConnectionError(`${this.base}/api/v1/measurements did not answer a history page`);
    return body;
  }

  async submitOperation(req: OperationRequest): Promise<Submitted> {
    return (await this.json('POST', '/api/v1/operations', req)) as Submitted;
  }

  async operation(handle: string): Promise<Operation> {
    return (await this.json('GET', `/api/v1/operations/${encodeURIComponent(handle)}`)) as Operation;
  }

  /** Starts a measurement and yields each agent's row as it answers, then the summary. */
  async *measure(req: MeasurementRequest, signal?: AbortSignal): AsyncGenerator<StreamItem> {
    const res = await this.request('POST', '/api/v1/measurements', req, (req.timeout ?? 10) + GRACE_SECONDS, 'application/x-ndjson', signal);
    if (!res.body) throw new HubConnectionError('the hub answered without a body');
    const reader = res.body.getReader();
    const decoder = new NdjsonDecoder();
    const text = new TextDecoder();
    let done = false;
    try {
      for (;;) {
        const chunk = await reader.read();
        const items = chunk.done ? decoder.end() : decoder.push(text.decode(chunk.value, { stream: true }));
        for (const item of items) {
          const out = classify(item);
          if ('done' in out) done = true;
          yield out;
        }
        if (chunk.done) break;
      }
    } catch (err) {
      if (err instanceof HubApiError || err instanceof HubConnectionError) throw err;
      throw new HubConnectionError(`the hub's answer broke off: ${describe(err)}`, { cause: err });
    } finally {
      // A caller that stops early (or an error above) must not leave the hub's answer open.
      if (!done) await reader.cancel().catch(() => undefined);
    }
    if (!done) throw new HubConnectionError('the hub closed the stream before the measurement was done');
  }

  private async json(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.request(method, path, body, CALL_SECONDS, 'application/json');
    const text = await res.text().catch((err: unknown) => {
      throw new HubConnectionError(`the hub's answer broke off: ${describe(err)}`);
    });
    try {
      return JSON.parse(text);
    } catch {
      throw new HubConnectionError(`${this.base}${path} did not answer JSON`);
    }
  }

  private async request(method: string, path: string, body: unknown, timeoutSeconds: number, accept: string, stop?: AbortSignal): Promise<FetchResponse> {
    const url = `${this.base}${path}`;
    const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
    const signal = stop ? AbortSignal.any([stop, timeout]) : timeout;
    for (let attempt = 1; ; attempt++) {
      let res: FetchResponse;
      const sent = this.opts.headers?.() ?? {};
      try {
        res = await this.opts.fetch(url, {
          method,
          headers: { accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...sent },
          body: body === undefined ? null : JSON.stringify(body),
          signal,
        });
      } catch (err) {
        throw new HubConnectionError(`cannot reach the hub${this.base ? ` at ${this.base}` : ''}: ${describe(err)}`, { cause: err });
      }
      if (res.ok) return res;
      const refused = await refusal(res, method, url);
      if (res.status === 401 && attempt < TOKEN_ATTEMPTS && this.opts.retryUnauthorized?.(refused.message, sent)) continue;
      throw refused;
    }
  }
}

/** The hub's error answer as an error: its code and words when it sent its error body. */
async function refusal(res: FetchResponse, method: string, url: string): Promise<HubApiError> {
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isApiErrorBody(parsed)) return new HubApiError(res.status, parsed.error.code, parsed.error.message);
  return new HubApiError(res.status, 'PULSE_NOT_A_HUB', `${method} ${url} answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

function classify(item: unknown): StreamItem {
  if (isStreamDone(item)) return { done: item };
  if (typeof item === 'object' && item !== null && typeof (item as Row).agent === 'string' && typeof (item as Row).status === 'string') {
    return { row: item as Row };
  }
  // The hub reports an error that came up after the answer had begun as a last line.
  if (isApiErrorBody(item)) throw new HubApiError(500, item.error.code, item.error.message);
  throw new HubConnectionError(`the hub sent an unexpected line: ${JSON.stringify(item).slice(0, 120)}`);
}

/** Network errors in words: undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'no answer in time';
  if (err.name === 'AbortError') return 'stopped';
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    if (code === 'ECONNREFUSED') return 'connection refused (is pulse-hub running there? set --hub or PULSE_HUB)';
    if (code === 'ENOTFOUND') return `host not found (${cause.message})`;
    return cause.message || code || err.message;
  }
  return err.message;
}
