import { pulseVersion } from '../../../lib/version.js';
import type { RunRequest } from '../../../lib/wire.js';
import type { CallOutcome } from '../../agent-client.js';
import type { RelayOutcome, RelayRequest } from '../types.js';

/**
 * The layout of the messages replicas send each other to reach an agent tunnelled elsewhere. A
 * replica refuses a message of another format by name (a replica mid-upgrade) instead of guessing.
 */
export const ROUTE_FORMAT = 1;

export type RouteCall = { kind: 'run'; body: RunRequest } | { kind: 'relay'; body: RelayRequest };

/** Sent to the replica that holds the agent's tunnel, on its request channel. */
export interface RouteRequest {
  format: number;
  pulse: string;
  /** Unique per sender: the reply names it. */
  id: number;
  /** The sender's replica id: where the reply goes. */
  from: string;
  agent: string;
  /** How long the sender still waits, in milliseconds: the holder gives up then too. */
  waitMs: number;
  call: RouteCall;
}

/** A relayed answer's body travels as base64: it is bytes, not text. */
export type WireRelayOutcome =
  | { kind: 'answer'; status: number; contentType: string | undefined; body64: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout' };

export interface RouteReply {
  format: number;
  pulse: string;
  id: number;
  /** The replica that answered (for messages). */
  by: string;
  outcome: CallOutcome | WireRelayOutcome;
}

export function routeRequest(id: number, from: string, agent: string, waitMs: number, call: RouteCall): string {
  return JSON.stringify({ format: ROUTE_FORMAT, pulse: pulseVersion(), id, from, agent, waitMs, call } satisfies RouteRequest);
}

export function routeReply(id: number, by: string, outcome: CallOutcome | RelayOutcome): string {
  const wire: RouteReply['outcome'] =
    'body' in outcome
      ? { kind: 'answer', status: outcome.status, contentType: outcome.contentType, body64: outcome.body.toString('base64') }
      : outcome;
  return JSON.stringify({ format: ROUTE_FORMAT, pulse: pulseVersion(), id, by, outcome: wire } satisfies RouteReply);
}

export function relayOutcome(o: RouteReply['outcome']): RelayOutcome {
  if (o.kind === 'answer' && 'body64' in o) return { kind: 'answer', status: o.status, contentType: o.contentType, body: Buffer.from(o.body64, 'base64') };
  if (o.kind === 'unreachable' || o.kind === 'timeout') return o;
  return { kind: 'unreachable', message: 'the replica holding the tunnel answered a relay with a run outcome' };
}

export function runOutcome(o: RouteReply['outcome']): CallOutcome {
  if (o.kind === 'answer' && 'body64' in o) return { kind: 'unreachable', message: 'the replica holding the tunnel answered a run with a relay outcome' };
  return o as CallOutcome;
}

/** Why a message from another replica cannot be read, or undefined when it can. */
export function formatProblem(msg: { format?: unknown; pulse?: unknown }, what: string): string | undefined {
  if (msg.format === ROUTE_FORMAT) return undefined;
  return `${what} in route format ${String(msg.format)} from Pulse ${String(msg.pulse)}; this replica (Pulse ${pulseVersion()}) speaks format ${ROUTE_FORMAT} only`;
}
