import type { Redis } from 'ioredis';
import type { CallOutcome } from '../../agent-client.js';
import { DEADLINE_MARGIN_MS } from '../../fanout.js';
import type { AgentLink, RelayOutcome } from '../types.js';
import { formatProblem, type RouteCall, type RouteReply, type RouteRequest, relayOutcome, routeReply, routeRequest, runOutcome } from './route-wire.js';

/** A relay without a scrape timeout: as long as the hub's own relay allows at most. */
const RELAY_WAIT_MS = 60_000;
/** How often a replica with calls waiting on another checks that the other still listens. */
const WATCH_EVERY_MS = 500;

interface Pending {
  replica: string;
  resolve(o: RouteReply['outcome']): void;
}

export interface RemoteCallsLog {
  warn(obj: object, msg: string): void;
}

/**
 * Calls to agents whose tunnels end on another replica, over Redis pub/sub: each replica listens
 * on its own request channel and its own reply channel. The caller publishes a request to the
 * holder's channel (nobody listening: the holder is gone, the agent is offline at once), the holder
 * runs it on its tunnel and publishes the outcome back. While calls wait, the caller checks the
 * holder is still subscribed, so a replica killed mid-test turns its agents' rows offline within
 * WATCH_EVERY_MS instead of leaving them to the deadline.
 */
export class RemoteCalls {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private watch: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    /** Publishes (auto-pipelined: a fan-out sends thousands at once). */
    private readonly pub: Redis,
    private readonly prefix: string,
    readonly replica: string,
    /** This replica's own tunnel to an agent, if it holds one. */
    private readonly local: (agent: string) => AgentLink | undefined,
    /** Told when a replica received nothing we sent it. */
    private readonly onGone: (replica: string) => void,
    private readonly log: RemoteCallsLog,
  ) {}

  requestChannel(replica = this.replica): string {
    return `${this.prefix}route:${replica}`;
  }

  get replyChannel(): string {
    return `${this.prefix}reply:${this.replica}`;
  }

  run(replica: string, agent: string, call: Extract<RouteCall, { kind: 'run' }>, signal: AbortSignal): Promise<CallOutcome> {
    return this.call(replica, agent, call, signal).then(runOutcome);
  }

  relay(replica: string, agent: string, call: Extract<RouteCall, { kind: 'relay' }>, signal: AbortSignal): Promise<RelayOutcome> {
    return this.call(replica, agent, call, signal).then(relayOutcome);
  }

  /** A message on this replica's request channel: run it on our tunnel and answer. */
  async serve(text: string): Promise<void> {
    const req = JSON.parse(text) as RouteRequest;
    const answer = (o: CallOutcome | RelayOutcome) => this.pub.publish(`${this.prefix}reply:${req.from}`, routeReply(req.id, this.replica, o)).catch(() => undefined);
    const problem = formatProblem(req, 'a request');
    if (problem) {
      this.log.warn({ from: req.from }, problem);
      await answer({ kind: 'unreachable', message: `replica ${this.replica} refused ${problem}` });
      return;
    }
    const link = this.local(req.agent);
    if (!link) {
      await answer({ kind: 'unreachable', message: `its tunnel is no longer on replica ${this.replica}` });
      return;
    }
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(req.waitMs)));
    const outcome = req.call.kind === 'run' ? await link.run(req.call.body, signal) : await link.relay(req.call.body, signal);
    await answer(outcome);
  }

  /** A message on this replica's reply channel. */
  reply(text: string): void {
    const rep = JSON.parse(text) as RouteReply;
    const p = this.pending.get(rep.id);
    if (!p) return;
    const problem = formatProblem(rep, `replica ${rep.by} answered`);
    p.resolve(problem ? { kind: 'unreachable', message: problem } : rep.outcome);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watch);
    for (const p of this.pending.values()) p.resolve({ kind: 'unreachable', message: 'the hub is shutting down' });
  }

  private call(replica: string, agent: string, call: RouteCall, signal: AbortSignal): Promise<RouteReply['outcome']> {
    if (this.closed) return Promise.resolve({ kind: 'unreachable', message: 'the hub is shutting down' });
    if (signal.aborted) return Promise.resolve({ kind: 'timeout' });
    const id = this.next++;
    return new Promise((resolve) => {
      const onAbort = () => done({ kind: 'timeout' });
      const done = (o: RouteReply['outcome']) => {
        if (!this.pending.delete(id)) return;
        signal.removeEventListener('abort', onAbort);
        if (this.pending.size === 0) this.stopWatching();
        resolve(o);
      };
      this.pending.set(id, { replica, resolve: done });
      signal.addEventListener('abort', onAbort, { once: true });
      this.startWatching();
      const waitMs = holderWaitMs(call);
      this.pub.publish(this.requestChannel(replica), routeRequest(id, this.replica, agent, waitMs, call)).then(
        (receivers) => {
          if (receivers > 0) return;
          this.onGone(replica);
          done({ kind: 'unreachable', message: `its tunnel is on replica ${replica}, which is not answering` });
        },
        (err: unknown) => done({ kind: 'unreachable', message: `its tunnel is on replica ${replica}, and Redis is unavailable: ${(err as Error).message}` }),
      );
    });
  }

  private startWatching(): void {
    if (this.watch) return;
    this.watch = setInterval(() => void this.check(), WATCH_EVERY_MS);
    this.watch.unref();
  }

  private stopWatching(): void {
    clearInterval(this.watch);
    this.watch = undefined;
  }

  /** Fails the calls waiting on replicas that no longer listen (killed, or cut off from Redis). */
  private async check(): Promise<void> {
    const replicas = [...new Set([...this.pending.values()].map((p) => p.replica))];
    if (replicas.length === 0) return;
    let counts: unknown[];
    try {
      counts = (await this.pub.pubsub('NUMSUB', ...replicas.map((r) => this.requestChannel(r)))) as unknown[];
    } catch {
      return;
    }
    replicas.forEach((r, i) => {
      if (Number(counts[i * 2 + 1]) > 0) return;
      this.onGone(r);
      for (const p of [...this.pending.values()]) if (p.replica === r) p.resolve({ kind: 'unreachable', message: `replica ${r}, which held its tunnel, stopped answering` });
    });
  }
}

/**
 * How long the holder may try: the probe's own timeout plus the fan-out's margin for a run, the
 * scrape timeout Prometheus sent for a relay. The caller's signal ends the wait on its side anyway.
 */
export function holderWaitMs(call: RouteCall): number {
  if (call.kind === 'run') return Math.ceil((call.body.timeout_seconds ?? 60) * 1000) + DEADLINE_MARGIN_MS;
  const scrape = Number(call.body.headers['x-prometheus-scrape-timeout-seconds']);
  return Number.isFinite(scrape) && scrape > 0 ? Math.ceil(scrape * 1000) + DEADLINE_MARGIN_MS : RELAY_WAIT_MS;
}
