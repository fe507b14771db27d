import type { Operation, OperationResult, OperationSummary, ResultStatus } from '../../client/operations.js';
import type { OperationCheck, OperationsFile } from '../../lib/operations.js';
import type { Row } from '../measurement.js';
import { judge } from './judge.js';

export type { Operation, OperationResult, OperationSummary, ResultStatus };

export interface OperationInit {
  handle: string;
  operations: OperationsFile;
  selector: Record<string, string>;
  timeoutSeconds: number;
  agents: Array<{ name: string; labels: Record<string, string> }>;
  /** What each check probes, by check name. */
  targets: Record<string, string>;
}

/**
 * An operation in progress. Every (agent, check) is listed from the start as running, so a
 * `get` while it runs shows what is still missing, not only what came in.
 */
export class LiveOperation {
  /** The store's key (the handle). */
  readonly data: { readonly id: string };
  readonly done: Promise<void>;
  private readonly results: OperationResult[] = [];
  private readonly index = new Map<string, OperationResult>();
  private readonly createdAt = new Date();
  private readonly started: number;
  private ended: number | undefined;
  private finishedAt: string | null = null;
  private resolveDone!: () => void;

  constructor(
    private readonly init: OperationInit,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.data = { id: init.handle };
    this.started = now();
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    for (const agent of init.agents) {
      for (const [check, c] of Object.entries(init.operations) as Array<[string, OperationCheck]>) {
        const r: OperationResult = {
          agent: agent.name,
          labels: agent.labels,
          check,
          type: c.type,
          path: c.path ?? null,
          target: init.targets[check] ?? '',
          status: 'running',
          finished: false,
          success: false,
          elapsed_seconds: null,
          duration_seconds: null,
          result: null,
        };
        this.results.push(r);
        this.index.set(key(agent.name, check), r);
      }
    }
  }

  get handle(): string {
    return this.init.handle;
  }

  get finished(): boolean {
    return this.ended !== undefined;
  }

  /** A fan-out row for one check; the first one per (agent, check) counts. Returns the verdict. */
  settle(check: string, row: Row): ResultStatus | undefined {
    const r = this.index.get(key(row.agent, check));
    if (!r || r.finished || this.finished) return undefined;
    const verdict = judge(r.type, row);
    r.status = verdict.status;
    r.finished = true;
    r.success = verdict.status === 'ok';
    if (verdict.status !== 'ok') r.error = verdict.reason ?? verdict.status;
    r.elapsed_seconds = (this.now() - this.started) / 1000;
    r.duration_seconds = row.duration_seconds;
    r.result = row.result;
    return r.status;
  }

  finish(): void {
    if (this.finished) return;
    this.ended = this.now();
    this.finishedAt = new Date().toISOString();
    // Every fan-out gives each agent a row by its deadline, so this is only a guard.
    for (const r of this.results) {
      if (r.finished) continue;
      r.status = 'timeout';
      r.finished = true;
      r.error = 'no result';
    }
    this.resolveDone();
  }

  /** The operation as the API shows it, elapsed time as of now. */
  view(): Operation {
    const summary: OperationSummary = { ok: 0, failed: 0, timeout: 0, offline: 0, running: 0 };
    for (const r of this.results) summary[r.status]++;
    return {
      handle: this.init.handle,
      status: this.finished ? 'done' : 'running',
      finished: this.finished,
      created_at: this.createdAt.toISOString(),
      finished_at: this.finishedAt,
      elapsed_seconds: ((this.ended ?? this.now()) - this.started) / 1000,
      timeout: this.init.timeoutSeconds,
      agents: this.init.selector,
      operations: this.init.operations,
      summary,
      results: this.results.map((r) => ({ ...r })),
    };
  }
}

function key(agent: string, check: string): string {
  return JSON.stringify([agent, check]);
}
