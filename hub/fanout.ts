import { setMaxListeners } from 'node:events';
import { Compile } from 'typebox/compile';
import type { RunResult } from '../client/api.js';
import { PROTOCOL_VERSION, type RunRequest, RunResponse } from '../lib/wire.js';
import type { CallOutcome } from './agent-client.js';
import type { AgentLinks } from './links/types.js';
import type { Row } from './measurement.js';
import type { HubMetrics } from './metrics.js';
import type { ConcurrencyQueue } from './queue.js';
import { type AgentView, connectionMode } from './registry.js';

const compileRunResponse = () => Compile(RunResponse);
let runResponseCheck: ReturnType<typeof compileRunResponse> | undefined;
/**
 * The compiled check of an agent's answer, made on first use: Value.Check interprets the schema
 * for every row, which was a third of the hub's time spent on the answers of a 1,000-agent fan-out.
 */
function checkRunResponse(r: unknown): r is RunResult {
  runResponseCheck ??= compileRunResponse();
  return runResponseCheck.Check(r);
}

/**
 * Calls started before the hub lets the event loop write them out. Started in one go, 1,000
 * calls are all built before the first byte leaves (HTTP/2 writes wait for the loop), so every
 * agent starts late by the time it takes to build all of them; in batches, the first agents are
 * working while the last calls are being built.
 */
const YIELD_EVERY = 64;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How long past the test's timeout the hub waits for an answer (network, JSON, scheduling). */
export const DEADLINE_MARGIN_MS = 1000;

export interface FanoutJob {
  type: string;
  targets: string[];
  options: Record<string, unknown>;
  timeoutSeconds: number;
  agents: AgentView[];
}

export interface FanoutDeps {
  /** How each agent is reached (directly or through its tunnel). */
  links: AgentLinks;
  queue: ConcurrencyQueue;
  metrics?: HubMetrics;
  /** Where a fan-out that fails (a bug, never an agent's answer) is reported instead of crashing the hub. */
  logger?: { error(obj: object, msg: string): void };
}

/**
 * Runs one test on every selected agent and target; each (agent, target) gives exactly one row
 * through `onRow`, by the deadline at the latest, whatever the agent does.
 */
export async function fanOut(job: FanoutJob, deps: FanoutDeps, onRow: (row: Row) => void): Promise<void> {
  const started = performance.now();
  // Whole milliseconds: AbortSignal.timeout refuses 333.3 (a timeout of 0.3333 s lost every row).
  const deadlineMs = Math.ceil(job.timeoutSeconds * 1000) + DEADLINE_MARGIN_MS;
  const deadline = AbortSignal.timeout(deadlineMs);
  // Every queued and running call listens on this one signal: thousands of listeners are expected.
  setMaxListeners(0, deadline);
  const deadlineAt = started + deadlineMs;
  // The timeout row of every call not answered yet, written when the deadline comes: one timer
  // and one Set instead of a promise chain and a race per call.
  const unanswered = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  const deadlineReached = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const cut of unanswered) cut();
      resolve();
    }, deadlineMs);
    timer.unref();
  });

  const tasks: Promise<void>[] = [];
  let sinceYield = 0;
  for (const agent of job.agents) {
    for (const target of job.targets) {
      const base = { agent: agent.name, labels: agent.labels, target };
      const immediate = precheck(agent, job.type);
      if (immediate) {
        onRow({ ...base, ...immediate, duration_seconds: null, result: null });
        continue;
      }
      let settled = false;
      const emit = (row: Row) => {
        if (settled) return;
        settled = true;
        unanswered.delete(cut);
        onRow(row);
      };
      const cut = () => emit({ ...base, status: 'timeout', reason: `no answer within ${job.timeoutSeconds}s`, duration_seconds: null, result: null });
      unanswered.add(cut);
      tasks.push(callOne(agent, target, job, deps, deadline, deadlineAt).then((r) => emit({ ...base, ...r })));
      if (++sinceYield === YIELD_EVERY) {
        sinceYield = 0;
        await yieldToIo();
      }
    }
  }
  // Calls are cancelled by the deadline signal; a link that ignored it does not hold the rows back.
  await Promise.race([Promise.all(tasks), deadlineReached]);
  clearTimeout(timer);
  deps.metrics?.fanout.observe({ type: job.type }, (performance.now() - started) / 1000);
}

/** Rows decided without calling: inactive or refused agents, agents without the prober. */
function precheck(agent: AgentView, type: string): Pick<Row, 'status' | 'reason'> | undefined {
  if (agent.refused !== null) return { status: 'offline', reason: `agent refused by the hub: ${agent.refused}` };
  const mode = connectionMode(agent);
  if (mode === 'dial-out' && !agent.active) {
    return { status: 'offline', reason: `agent's tunnel to the hub is down since ${agent.connection?.since}` };
  }
  if (!agent.active) return { status: 'offline', reason: `agent inactive: last seen ${agent.last_seen}` };
  if (mode === 'direct' && !agent.url.startsWith('https://')) {
    // The hub only calls agents over mutual TLS: never a plain-HTTP URL an agent announced.
    return { status: 'failed', reason: 'agent serves plain HTTP; ad-hoc tests need exporter.tls on the agent' };
  }
  if (!agent.probers.includes(type)) {
    return { status: 'failed', reason: `agent cannot run ${type} tests (it has: ${agent.probers.join(', ') || 'none'})` };
  }
  return undefined;
}

async function callOne(
  agent: AgentView,
  target: string,
  job: FanoutJob,
  deps: FanoutDeps,
  deadline: AbortSignal,
  deadlineAt: number,
): Promise<Omit<Row, 'agent' | 'labels' | 'target'>> {
  let started = 0;
  let outcome: CallOutcome;
  const call = (link: ReturnType<AgentLinks['link']>) => {
    started = performance.now();
    if ('offline' in link) return Promise.resolve<CallOutcome>({ kind: 'unreachable', message: link.offline });
    const body: RunRequest = {
      protocol: PROTOCOL_VERSION,
      type: job.type as RunRequest['type'],
      target,
      options: job.options,
      timeout_seconds: remainingSeconds(job.timeoutSeconds, deadlineAt, started),
    };
    return link.run(body, deadline);
  };
  try {
    const now = deps.links.link(agent);
    // A call forwarded to the replica holding the tunnel is queued there, not here (docs/deployment.md).
    // A queued call looks its link up again when its turn comes: the tunnel may have moved meanwhile.
    outcome = !('offline' in now) && now.forwards === true ? await call(now) : await deps.queue.run(deadline, () => call(deps.links.link(agent)));
  } catch {
    return { status: 'timeout', reason: `not called: the hub was busy until the deadline`, duration_seconds: null, result: null };
  }
  const seconds = (performance.now() - started) / 1000;
  if (outcome.kind !== 'timeout') deps.metrics?.agentCall.observe({ agent: agent.name }, seconds);
  switch (outcome.kind) {
    case 'answer': {
      // The caller only parsed JSON: whatever the agent sent is checked here, before any field is read.
      const r: unknown = outcome.response;
      if (!checkRunResponse(r)) {
        return { status: 'failed', reason: `agent answer does not match protocol ${PROTOCOL_VERSION}`, duration_seconds: seconds, result: null };
      }
      if (r.success) return { status: 'ok', duration_seconds: seconds, result: r };
      return { status: 'failed', reason: r.reason ?? 'probe failed', duration_seconds: seconds, result: r };
    }
    case 'error':
      return { status: 'failed', reason: outcome.message, duration_seconds: seconds, result: null };
    case 'unreachable':
      return { status: 'offline', reason: `agent unreachable: ${outcome.message}`, duration_seconds: null, result: null };
    case 'timeout':
      return { status: 'timeout', reason: `no answer within ${job.timeoutSeconds}s`, duration_seconds: null, result: null };
  }
}

/**
 * The probe timeout to send when the call starts at `now`: a call that waited in the queue gets
 * what is left before the shared deadline (less the margin), so its answer can still arrive in time.
 */
export function remainingSeconds(timeoutSeconds: number, deadlineAt: number, now: number): number {
  const left = (deadlineAt - DEADLINE_MARGIN_MS - now) / 1000;
  // RunRequest needs a timeout above 0; a call this late will be cut off by the deadline anyway.
  return Math.min(timeoutSeconds, Math.max(left, 0.001));
}
