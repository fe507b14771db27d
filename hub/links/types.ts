import type { ConnectionMode } from '../../lib/tunnel.js';
import type { RunRequest } from '../../lib/wire.js';
import type { CallOutcome } from '../agent-client.js';

/** A GET the hub relays to an agent for Prometheus: /probe?... or /metrics. */
export interface RelayRequest {
  /** Path and query, exactly as the agent should get them ("/probe?module=m&target=t"). */
  path: string;
  /** Headers passed through (lower-case names): the scrape timeout, Accept. */
  headers: Record<string, string>;
}

export type RelayOutcome =
  | { kind: 'answer'; status: number; contentType: string | undefined; body: Buffer }
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout' };

/**
 * One way to reach one agent, whatever it is: the hub calling it (direct) or a request inside the
 * tunnel it keeps open (dial-out). Fan-out, operations and the Prometheus relay only use this.
 */
export interface AgentLink {
  readonly mode: ConnectionMode;
  /**
   * True when calls only travel on to another hub replica that holds the agent's tunnel: that
   * replica counts them against its own hub.fanout_concurrency, so the caller does not hold a slot.
   */
  readonly forwards?: boolean;
  /** POST /api/v1/run on the agent. */
  run(body: RunRequest, signal: AbortSignal): Promise<CallOutcome>;
  /** A GET relayed byte for byte (status, content type, body). */
  relay(req: RelayRequest, signal: AbortSignal): Promise<RelayOutcome>;
}

/** What a link is looked up by: the registry's view of an agent. */
export interface LinkTarget {
  name: string;
  url: string;
  connection?: { mode: ConnectionMode } | undefined;
}

/**
 * Finds the link to an agent now. This is the seam where several hub replicas can route a call to
 * the replica that holds an agent's tunnel: an implementation may return a link whose calls travel
 * elsewhere, as long as they keep these semantics.
 */
export interface AgentLinks {
  /** The link to `agent`, or a reason why there is none right now (its tunnel is not connected here). */
  link(agent: LinkTarget): AgentLink | { offline: string };
  close(): Promise<void>;
}
