import { pulseVersion } from '../../../lib/version.js';
import type { RunRequest } from '../../../lib/wire.js';
import type { CallOutcome } from '../../agent-client.js';
import type { RelayOutcome, RelayRequest } from '../types.js';

/**
 * The layout of the messages replicas send each other to reach an agent tunnelled elsewhere. A
 * replica refuses a message of another format by name (a replica mid-upgrade) instead of guessing.
 * Format 2: every message carries a batch of calls (or of answers), see coalesce.ts.
 */
export const ROUTE_FORMAT = 2;

export type RouteCall = { kind: 'run'; body: RunRequest } | { kind: 'relay'; body: RelayRequest };

/** One call for an agent whose tunnel the receiving replica holds. */
export interface RouteItem {
  /** Unique per sender: the answer names it. */
  id: number;
  agent: string;
  /** How long the sender still waits, in milliseconds: the holder gives up then too. */
  waitMs: number;
  call: RouteCall;
}

/** Sent to the replica that holds the agents' tunnels, on its request channel. */
export interface RouteRequests {
  format: number;
  pulse: string;
  /** The sender's replica id: where the answers go. */
  from: string;
  requests: RouteItem[];
}

/** A relayed answer's body travels as base64: it is bytes, not text. */
export type WireRelayOutcome =
  | { kind: 'answer'; status: number; contentType: string | undefined; body64: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout' };

export type WireOutcome = CallOutcome | WireRelayOutcome;

export interface ReplyItem {
  id: number;
  outcome: WireOutcome;
}

export interface RouteReplies {
  format: number;
  pulse: string;
  /** The replica that answered (for messages). */
  by: string;
  replies: ReplyItem[];
}

export function routeRequests(from: string, requests: RouteItem[]): string {
  return JSON.stringify({ format: ROUTE_FORMAT, pulse: pulseVersion(), from, requests } satisfies RouteRequests);
}

export function routeReplies(by: string, replies: ReplyItem[]): string {
  return JSON.stringify({ format: ROUTE_FORMAT, pulse: pulseVersion(), by, replies } satisfies RouteReplies);
}

export function wireOutcome(outcome: CallOutcome | RelayOutcome): WireOutcome {
  return 'body' in outcome ? { kind: 'answer', status: outcome.status, contentType: outcome.contentType, body64: outcome.body.toString('base64') } : outcome;
}

export function relayOutcome(o: WireOutcome): RelayOutcome {
  if (o.kind === 'answer' && 'body64' in o) return { kind: 'answer', status: o.status, contentType: o.contentType, body: Buffer.from(o.body64, 'base64') };
  if (o.kind === 'unreachable' || o.kind === 'timeout') return o;
  return { kind: 'unreachable', message: 'the replica holding the tunnel answered a relay with a run outcome' };
}

export function runOutcome(o: WireOutcome): CallOutcome {
  if (o.kind === 'answer' && 'body64' in o) return { kind: 'unreachable', message: 'the replica holding the tunnel answered a run with a relay outcome' };
  return o as CallOutcome;
}

/** Why a message from another replica cannot be read, or undefined when it can. */
export function formatProblem(msg: { format?: unknown; pulse?: unknown }, what: string): string | undefined {
  if (msg.format === ROUTE_FORMAT) return undefined;
  return `${what} in route format ${String(msg.format)} from Pulse ${String(msg.pulse)}; this replica (Pulse ${pulseVersion()}) speaks format ${ROUTE_FORMAT} only`;
}

/** The call ids of a request or reply message in any format: format 1 sent one per message, its id at the top. */
export function requestIds(msg: { format?: unknown; id?: unknown; requests?: unknown; replies?: unknown }): number[] {
  const items = msg.requests ?? msg.replies;
  if (Array.isArray(items)) return items.map((r: { id?: unknown }) => Number(r?.id));
  return msg.id === undefined ? [] : [Number(msg.id)];
}
