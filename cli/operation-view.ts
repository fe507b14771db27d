import type { Dispatcher } from 'undici';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXIT, type ExitCode, type Io } from './context.js';
import { formatSeconds } from '../client/metrics.js';
import type { Output } from './live.js';
import type { Operation } from '../client/operations.js';
import type { HubClient } from '../client/http.js';
import { hubClient } from './client.js';
import { type Align, layoutTable, type Table } from './format/table.js';

/**
 * Operation handles are "op_" and 22 characters; measurement ids are 22 characters of the same
 * alphabet, so one may start with "op_" by chance, but never has the handle's length.
 */
export function isOperationHandle(s: string): boolean {
  return /^op_[A-Za-z0-9_-]{1,128}$/.test(s) && s.length !== MEASUREMENT_ID_LENGTH;
}

const MEASUREMENT_ID_LENGTH = 22;

const STATUS_COLOUR: Record<string, string> = { ok: '32', failed: '31', timeout: '33', offline: '90', running: '36' };

/** One line per agent and check (werify's `Host:… Operation:… Success:…`), aligned. */
export function operationTable(op: Operation): Table {
  const headers = ['AGENT', 'CHECK', 'TYPE', 'STATUS', 'SUCCESS', 'ELAPSED', 'ERROR'];
  const align: Align[] = ['left', 'left', 'left', 'left', 'left', 'right', 'left'];
  const rows = op.results.map((r) => [
    r.agent,
    r.check,
    r.type,
    r.status,
    r.finished ? String(r.success) : '-',
    formatSeconds(r.elapsed_seconds),
    r.error ?? '',
  ]);
  return { headers, rows, align };
}

/** werify's closing line, with the counts. */
export function operationFooter(op: Operation): string {
  const s = op.summary;
  const counts = `${s.ok} ok, ${s.failed} failed, ${s.timeout} timed out, ${s.offline} offline`;
  if (op.finished) return `Operation ended, took ${formatSeconds(op.elapsed_seconds)}: ${counts}`;
  const done = op.results.length - s.running;
  return `Operation still running (${formatSeconds(op.elapsed_seconds)} so far): ${done} of ${op.results.length} results in; ${counts}`;
}

export function renderOperation(op: Operation, colour: boolean): string[] {
  if (op.results.length === 0) return ['No agent matched the selector.', operationFooter(op)];
  const statusCol = 3;
  const lines = layoutTable(operationTable(op), (col, padded, raw) =>
    colour && col === statusCol && STATUS_COLOUR[raw] ? `\u001b[${STATUS_COLOUR[raw]}m${padded}\u001b[0m` : padded,
  );
  return [...lines, operationFooter(op)];
}

/** 0 when every check passed on every agent; 1 for any failure, timeout, offline agent, or none. */
export function operationExit(op: Operation): ExitCode {
  if (!op.finished || op.results.length === 0) return EXIT.FAILED;
  return op.results.every((r) => r.status === 'ok') ? EXIT.OK : EXIT.FAILED;
}

const POLL_MS = 250;
// The hub ends an operation by its own deadline; this only guards against a stuck hub.
const MARGIN_SECONDS = 30;

export async function waitForOperation(client: HubClient, handle: string): Promise<Operation> {
  let op = await client.operation(handle);
  const deadline = Date.now() + (op.timeout + MARGIN_SECONDS) * 1000;
  while (!op.finished && Date.now() < deadline) {
    await sleep(POLL_MS);
    op = await client.operation(handle);
  }
  return op;
}

export interface ShowOptions {
  hub: string;
  dispatcher?: Dispatcher | undefined;
  json: boolean;
  wait: boolean;
  colour: boolean;
}

/** `pulse get HANDLE [--wait] [--json]` for an operation; resolves to the exit status. */
export async function showOperation(handle: string, opts: ShowOptions, io: Pick<Io, 'stdout' | 'stderr'>): Promise<ExitCode> {
  const client = hubClient(opts.hub, opts.dispatcher);
  const op = opts.wait ? await waitForOperation(client, handle) : await client.operation(handle);
  printOperation(op, opts, io.stdout);
  if (!op.finished && !opts.json) io.stderr.write(`pulse: operation ${op.handle} is still running; pulse get --wait ${op.handle} waits for it\n`);
  return operationExit(op);
}

/** --json: the hub's Operation object on one line, for jq. */
export function printOperation(op: Operation, opts: Pick<ShowOptions, 'json' | 'colour'>, out: Output): void {
  if (opts.json) out.write(`${JSON.stringify(op)}\n`);
  else out.write(`${renderOperation(op, opts.colour).join('\n')}\n`);
}
