import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RunRequest } from '../../../lib/wire.js';
import type { CallOutcome } from '../../agent-client.js';
import type { ConcurrencyQueue } from '../../queue.js';
import { connectionMode } from '../../registry.js';
import type { AgentLink, AgentLinks, LinkTarget, RelayOutcome, RelayRequest } from '../types.js';
import { type DirectoryLog, TunnelDirectory } from './directory.js';
import { RemoteCalls } from './remote-calls.js';

/** A dial-out agent whose tunnel ends on another replica: every call travels there and back over Redis. */
export class RemoteLink implements AgentLink {
  readonly mode = 'dial-out' as const;
  readonly forwards = true;

  constructor(
    private readonly calls: RemoteCalls,
    readonly replica: string,
    private readonly agent: string,
  ) {}

  run(body: RunRequest, signal: AbortSignal): Promise<CallOutcome> {
    return this.calls.run(this.replica, this.agent, { kind: 'run', body }, signal);
  }

  relay(req: RelayRequest, signal: AbortSignal): Promise<RelayOutcome> {
    return this.calls.relay(this.replica, this.agent, { kind: 'relay', body: req }, signal);
  }
}

/** What the shared links need from the hub: its own links, its tunnels, and who to tell about others'. */
export interface SharedLinksOptions {
  redis: Redis;
  prefix: string;
  /** This hub's links (its tunnels, direct calls). */
  inner: AgentLinks;
  /** This hub's own tunnel to an agent. */
  localTunnel(agent: string): AgentLink | undefined;
  /** The agents whose tunnels this hub holds now. */
  localAgents(): Iterable<string>;
  /** Another replica now holds (or no longer holds: null) an agent's tunnel. */
  onRemoteTunnel(agent: string, replica: string | null): void;
  log: DirectoryLog;
  /** This hub's fan-out slots, taken by the runs it serves for other replicas. */
  queue?: ConcurrencyQueue;
  /** Defaults to hostname-random: unique per process, readable in messages. */
  replica?: string;
}

/**
 * The links of a hub that shares its fleet with other replicas through Redis: its own first; a
 * dial-out agent whose tunnel is on another live replica gets a RemoteLink there. Fan-out,
 * operations and the Prometheus relay use it unchanged.
 */
export class SharedLinks implements AgentLinks {
  private constructor(
    private readonly inner: AgentLinks,
    readonly directory: TunnelDirectory,
    private readonly calls: RemoteCalls,
    private readonly sub: Redis,
    private readonly pub: Redis,
  ) {}

  /** Not connected yet: start() subscribes and joins the directory (the hub calls it when it listens). */
  static create(o: SharedLinksOptions): SharedLinks {
    const replica = o.replica ?? `${hostname()}-${randomBytes(4).toString('hex')}`;
    // Subscriptions hold a connection of their own; requests and replies are published on another,
    // pipelined, so a fan-out's thousands of publishes share round trips.
    const sub = o.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
    const pub = o.redis.duplicate({ enableOfflineQueue: false, enableAutoPipelining: true, lazyConnect: true });
    for (const c of [sub, pub]) c.on('error', () => undefined);
    const directory = new TunnelDirectory(o.redis, o.prefix, replica, o.onRemoteTunnel, o.log, o.localAgents);
    const calls = new RemoteCalls(pub, o.prefix, replica, o.localTunnel, (r) => directory.markGone(r), o.log, o.queue);
    sub.on('message', (channel: string, text: string) => {
      try {
        if (channel === calls.requestChannel()) void calls.serve(text).catch((err: unknown) => o.log.warn({ err: (err as Error).message }, 'routing a call failed'));
        else if (channel === calls.replyChannel) calls.reply(text);
        else if (channel === directory.changesChannel) directory.message(text);
      } catch (err) {
        o.log.warn({ channel, err: (err as Error).message }, 'unreadable message from another replica');
      }
    });
    return new SharedLinks(o.inner, directory, calls, sub, pub);
  }

  async start(): Promise<void> {
    await Promise.all([this.sub.connect(), this.pub.connect()]);
    await this.sub.subscribe(this.calls.requestChannel(), this.calls.replyChannel, this.directory.changesChannel);
    await this.directory.start();
  }

  get replica(): string {
    return this.directory.replica;
  }

  link(agent: LinkTarget): AgentLink | { offline: string } {
    const own = this.inner.link(agent);
    if (!('offline' in own) || connectionMode(agent) !== 'dial-out') return own;
    const holder = this.directory.holder(agent.name);
    return holder ? new RemoteLink(this.calls, holder, agent.name) : own;
  }

  /** This hub's tunnel to `agent` came up or closed. */
  tunnel(agent: string, up: boolean): void {
    if (up) this.directory.up(agent);
    else this.directory.down(agent);
  }

  async close(): Promise<void> {
    await this.calls.close();
    await this.directory.close();
    this.sub.disconnect();
    this.pub.disconnect();
    await this.inner.close();
  }
}
