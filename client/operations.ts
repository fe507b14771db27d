/**
 * Host-check operations as the hub's users' API shows them (POST /api/v1/operations, GET
 * /api/v1/operations/HANDLE): the one declaration, written by hub/operations/ and read by
 * `pulse op`. Plain types: the hub owns validation.
 */
import type { OperationsFile, OperationType } from '../lib/operations.js';
import type { RowStatus, RunResult, Selector } from './api.js';

export type ResultStatus = RowStatus | 'running';
export type OperationStatus = ResultStatus;

/** One check on one agent: werify's `Host:… Operation:… Success:…` line, with the why. */
export interface OperationResult {
  agent: string;
  labels: Record<string, string>;
  /** The check's name: its key in the operations file. */
  check: string;
  type: OperationType;
  path: string | null;
  /** What the agent was asked to probe (the path, or the process name). */
  target: string;
  status: ResultStatus;
  finished: boolean;
  success: boolean;
  /** Why it did not succeed: the probe's reason, the agent's error, the timeout or offline. */
  error?: string;
  /** From the start of the operation until this result came in. */
  elapsed_seconds: number | null;
  /** The call to the agent, when one was made and answered. */
  duration_seconds: number | null;
  result: RunResult | null;
}

export type OperationSummary = Record<ResultStatus, number>;

export interface Operation {
  handle: string;
  status: 'running' | 'done';
  finished: boolean;
  created_at: string;
  finished_at: string | null;
  /** So far while running; the whole operation once done (werify's "Operation ended, took …"). */
  elapsed_seconds: number;
  timeout: number;
  agents: Record<string, string>;
  operations: OperationsFile;
  summary: OperationSummary;
  results: OperationResult[];
}

export interface OperationRequest {
  operations: Record<string, unknown>;
  agents: Selector;
  timeout?: number;
}

/** POST /api/v1/operations's answer: where to follow the operation. */
export interface Submitted {
  handle: string;
  url: string;
}
