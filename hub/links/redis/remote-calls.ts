import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { onAbort } from '../../../lib/abort-listeners.js';
import type { CallOutcome } from '../../agent-client.js';
import { DEADLINE_MARGIN_MS, remainingSeconds } from '../../fanout.js';
import type { ConcurrencyQueue } from '../../queue.js';
import type { AgentLink, RelayOutcome } from '../types.js';
import { Coalescer } from './coalesce.js';
import {
  formatProblem,
  type ReplyItem,
  type RouteCall,
  type RouteItem,
  type RouteReplies,
  type RouteRequests,
  relayOutcome,
  requestIds,
  routeReplies,
  routeRequests,
  runOutcome,
  type WireOutcome,
  wireOutcome,
} from './route-wire.js';

/** A relay without a scrape timeout: as long as the hub's own relay allows at most. */
const RELAY_WAIT_MS = 60_000;
/** How often a replica with calls waiting on another checks that the other still listens. */
const WATCH_EVERY_MS = 500;

interface Pending {
  replica: string;
  resolve(o: WireOutcome): void;
}

export interface RemoteCallsLog {
  warn(obj: object, msg: string): void;
}

/**
 * Calls to agents whose tunnels end on another replica, over Redis pub/sub: each replica listens
 * on its own request channel and its own reply channel. The caller publishes requests to the
 * holder's channel, those of one event-loop turn in one message (nobody listening: the holder is
 * gone, the agents are offline at once); the holder runs them on its tunnels, each in a slot of
 * its own hub.fanout_concurrency, and publishes the outcomes back, also batched. While calls wait, the caller checks the
 * holder is still subscribed, so a replica killed mid-test turns its agents' rows offline within
 * WATCH_EVERY_MS instead of leaving them to the deadline.
 */
export class RemoteCalls {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private watch: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly requests: Coalescer<RouteItem, number>;
  private readonly replies: Coalescer<ReplyItem, number>;

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
    /** This replica's fan-out slots: the runs it serves for others wait for one like its own calls do. */
    private readonly queue?: ConcurrencyQueue,
  ) {
    this.requests = new Coalescer((channel, items) => this.pub.publish(channel, routeRequests(this.replica, items)));
    this.replies = new Coalescer((channel, items) => this.pub.publish(channel, routeReplies(this.replica, items)));
  }

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

  /** A message on this replica's request channel: run its calls on our tunnels and answer each. */
  async serve(text: string): Promise<void> {
    const msg = JSON.parse(text) as RouteRequests;
    const channel = `${this.prefix}reply:${msg.from}`;
    const answer = (id: number, o: CallOutcome | RelayOutcome) => this.replies.add(channel, { id, outcome: wireOutcome(o) }).catch(() => undefined);
    const problem = formatProblem(msg, 'a request');
    if (problem) {
      this.log.warn({ from: msg.from }, problem);
      await Promise.all(requestIds(msg).map((id) => answer(id, { kind: 'unreachable', message: `replica ${this.replica} refused ${problem}` })));
      return;
    }
    // One timeout signal per tenth of a second of wait, not one per call: a signal (and its
    // timer) per call was a visible part of a holder's CPU in a 3,000-agent fan-out, whose calls
    // all wait about as long. A call may so run up to 100 ms past its own wait.
    const signals = new Map<number, AbortSignal>();
    const signalFor = (waitMs: number) => {
      const ms = Math.max(1, Math.ceil(waitMs / 100) * 100);
      let signal = signals.get(ms);
      if (!signal) {
        signal = AbortSignal.timeout(ms);
        setMaxListeners(0, signal);
        signals.set(ms, signal);
      }
      return signal;
    };
    await Promise.all(msg.requests.map(async (req) => answer(req.id, await this.serveOne(req, signalFor(req.waitMs)))));
  }

  private async serveOne(req: RouteItem, signal: AbortSignal): Promise<CallOutcome | RelayOutcome> {
    const link = this.local(req.agent);
    if (!link) return { kind: 'unreachable', message: `its tunnel is no longer on replica ${this.replica}` };
    const waitMs = Math.max(1, Math.floor(req.waitMs));
    if (req.call.kind === 'relay') return link.relay(req.call.body, signal);
    const { body } = req.call;
    if (!this.queue) return link.run(body, signal);
    const deadlineAt = performance.now() + waitMs;
    // A run that waited here for a slot gets what is left of the caller's wait, as a queued local call does.
    const run = () => link.run({ ...body, timeout_seconds: remainingSeconds(body.timeout_seconds ?? waitMs / 1000, deadlineAt, performance.now()) }, signal);
    return this.queue.run(signal, run).catch((): CallOutcome => ({ kind: 'timeout' }));
  }

  /** A message on this replica's reply channel. */
  reply(text: string): void {
    const msg = JSON.parse(text) as RouteReplies;
    const problem = formatProblem(msg, `replica ${msg.by} answered`);
    for (const rep of problem ? requestIds(msg).map((id) => ({ id, outcome: { kind: 'unreachable', message: problem } as const })) : msg.replies) {
      this.pending.get(rep.id)?.resolve(rep.outcome);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watch);
    for (const p of this.pending.values()) p.resolve({ kind: 'unreachable', message: 'the hub is shutting down' });
  }

  private call(replica: string, agent: string, call: RouteCall, signal: AbortSignal): Promise<WireOutcome> {
    if (this.closed) return Promise.resolve({ kind: 'unreachable', message: 'the hub is shutting down' });
    if (signal.aborted) return Promise.resolve({ kind: 'timeout' });
    const id = this.next++;
    return new Promise((resolve) => {
      // Through the Set behind one listener: a fan-out's thousands of routed calls share one deadline signal.
      let unsubscribe: () => void = () => undefined;
      const done = (o: WireOutcome) => {
        if (!this.pending.delete(id)) return;
        unsubscribe();
        if (this.pending.size === 0) this.stopWatching();
        resolve(o);
      };
      this.pending.set(id, { replica, resolve: done });
      unsubscribe = onAbort(signal, () => done({ kind: 'timeout' }));
      this.startWatching();
      const waitMs = holderWaitMs(call);
      this.requests.add(this.requestChannel(replica), { id, agent, waitMs, call }).then(
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
