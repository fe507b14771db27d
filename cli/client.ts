import { type Dispatcher, fetch } from 'undici';
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
} from './core/api.js';
import { NdjsonDecoder } from './core/stream.js';

/** The hub answered with an error (4xx/5xx): its code and message are shown as they are. */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

/** The hub could not be reached, or broke off, or sent something that is not its API. */
export class HubConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubConnectionError';
  }
}

export type StreamItem = { row: Row } | { done: StreamDone };

/** Seconds the client waits beyond the measurement's own timeout before giving up on the hub. */
const GRACE_SECONDS = 15;

export class HubClient {
  readonly base: string;

  constructor(
    base: string,
    private readonly dispatcher?: Dispatcher,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  async agents(): Promise<Agent[]> {
    const body = (await this.json('GET', '/agents/', undefined, 30)) as { agents?: Agent[] };
    if (!Array.isArray(body.agents)) throw new HubConnectionError(`${this.base}/agents/ did not answer an agent list`);
    return body.agents;
  }

  async measurement(id: string): Promise<Measurement> {
    return (await this.json('GET', `/api/v1/measurements/${encodeURIComponent(id)}`, undefined, 30)) as Measurement;
  }

  /** One page of past rows, newest first. */
  async history(params: HistoryParams): Promise<HistoryPage> {
    const body = (await this.json('GET', historyPath(params), undefined, 30)) as HistoryPage;
    if (!Array.isArray(body.rows)) throw new HubConnectionError(`${this.base}/api/v1/measurements did not answer a history page`);
    return body;
  }

  /** Starts a measurement and yields each agent's row as it answers, then the summary. */
  async *measure(req: MeasurementRequest): AsyncGenerator<StreamItem> {
    const res = await this.request('POST', '/api/v1/measurements', req, (req.timeout ?? 10) + GRACE_SECONDS, 'application/x-ndjson');
    if (!res.body) throw new HubConnectionError('the hub answered without a body');
    const decoder = new NdjsonDecoder();
    const text = new TextDecoder();
    let done = false;
    try {
      for await (const chunk of res.body) {
        for (const item of decoder.push(text.decode(chunk as Uint8Array, { stream: true }))) {
          const out = classify(item);
          if ('done' in out) done = true;
          yield out;
        }
      }
      for (const item of decoder.end()) {
        const out = classify(item);
        if ('done' in out) done = true;
        yield out;
      }
    } catch (err) {
      if (err instanceof HubConnectionError) throw err;
      throw new HubConnectionError(`the hub's answer broke off: ${describe(err)}`);
    }
    if (!done) throw new HubConnectionError('the hub closed the stream before the measurement was done');
  }

  private async json(method: string, path: string, body: unknown, timeoutSeconds: number): Promise<unknown> {
    const res = await this.request(method, path, body, timeoutSeconds, 'application/json');
    try {
      return await res.json();
    } catch (err) {
      throw new HubConnectionError(`${this.base}${path} did not answer JSON: ${describe(err)}`);
    }
  }

  private async request(method: string, path: string, body: unknown, timeoutSeconds: number, accept: string) {
    const url = `${this.base}${path}`;
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(url, {
        method,
        headers: { accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
    } catch (err) {
      throw new HubConnectionError(`cannot reach the hub at ${this.base}: ${describe(err)}`);
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isApiErrorBody(parsed)) throw new HubApiError(res.status, parsed.error.code, parsed.error.message);
    throw new HubApiError(res.status, `HTTP_${res.status}`, `${method} ${url} answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 200)}` : ''}`);
  }
}

function classify(item: unknown): StreamItem {
  if (isStreamDone(item)) return { done: item };
  if (typeof item === 'object' && item !== null && typeof (item as Row).agent === 'string' && typeof (item as Row).status === 'string') {
    return { row: item as Row };
  }
  if (isApiErrorBody(item)) throw new HubApiError(500, item.error.code, item.error.message);
  throw new HubConnectionError(`the hub sent an unexpected line: ${JSON.stringify(item).slice(0, 120)}`);
}

/** Network errors in words: undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return 'no answer in time';
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    if (code === 'ECONNREFUSED') return 'connection refused (is pulse-hub running there? set --hub or PULSE_HUB)';
    if (code === 'ENOTFOUND') return `host not found (${cause.message})`;
    return cause.message || code || err.message;
  }
  return err.message;
}
