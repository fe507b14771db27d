import http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { isPulseError } from '../../lib/errors.js';
import { agentName, checkAnnouncement } from '../announcement.js';
import type { HubMetrics } from '../metrics.js';
import type { Registry } from '../registry.js';
import { TunnelLink } from './tunnel-link.js';
import { createTunnelMetrics, type TunnelCloseReason, type TunnelMetrics } from './tunnel-metrics.js';

export interface TunnelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface TunnelsOptions {
  registry: Registry;
  metrics: HubMetrics;
  log: TunnelLog;
  /** Ping interval; a ping unanswered for as long closes the tunnel (hub.tunnel_keepalive). */
  keepaliveMs: number;
  /** How often the hub asks for the agent's announcement again (the heartbeat). */
  announceIntervalMs: number;
}

type Drop = (reason: TunnelCloseReason, detail: string, now: boolean) => void;

/** How long an agent has to send its announcement after its tunnel is up. */
const ANNOUNCE_TIMEOUT_MS = 10_000;

/**
 * The tunnels dial-out agents keep open to this hub, at most one per agent name. A tunnel counts
 * (its agent is active) from the moment its announcement is accepted until the connection closes,
 * fails a keepalive ping or is replaced by a newer one with the same certificate.
 */
export class Tunnels {
  private readonly live = new Map<string, TunnelLink>();
  private readonly pending = new Set<TunnelLink>();
  private readonly metrics: TunnelMetrics;
  private closing = false;
  /** Agents whose pulse_hub_agent_call_duration_seconds series this process made (seriesFor). */
  private readonly withSeries = new Set<string>();
  /** Why each link was closed by the hub (or failed), for its one log line when it is gone. */
  private readonly why = new WeakMap<TunnelLink, { reason: TunnelCloseReason; detail: string }>();

  constructor(private readonly opts: TunnelsOptions) {
    this.metrics = createTunnelMetrics(opts.metrics.registry, () => this.live.size);
  }

  get(name: string): TunnelLink | undefined {
    return this.live.get(name);
  }

  /** The agents with a tunnel up here now. */
  names(): IterableIterator<string> {
    return this.live.keys();
  }

  get size(): number {
    return this.live.size;
  }

  /** A TLS connection on the agents' port that asked for the tunnel protocol. */
  accept(socket: TLSSocket): void {
    const { log } = this.opts;
    if (this.closing) {
      socket.destroy();
      return;
    }
    let name: string;
    try {
      name = agentName(socket.authorized ? socket.getPeerCertificate() : undefined);
    } catch (err) {
      log.warn({ peer: socket.remoteAddress, reason: (err as Error).message }, 'tunnel refused');
      this.metrics.closes.inc({ reason: 'refused' });
      socket.destroy();
      return;
    }
    // Small requests and answers both ways: no waiting for Nagle's algorithm.
    socket.setNoDelay(true);
    const session = http2.connect('http://pulse-agent', {
      createConnection: () => socket,
      // The agent answers; it never starts anything. A push (or any stream it opens) is a protocol error.
      settings: { enablePush: false },
      maxReservedRemoteStreams: 0,
    });
    const link = new TunnelLink(name, session, (detail) => this.drop(link, 'oversize', detail, true));
    this.pending.add(link);
    const timers: NodeJS.Timeout[] = [];
    const why = this.why;
    session.on('error', (err) => {
      if (!why.has(link)) why.set(link, { reason: 'protocol', detail: err.message });
    });
    session.on('close', () => {
      for (const t of timers) clearInterval(t);
      this.pending.delete(link);
      const reason = why.get(link) ?? { reason: 'agent' as const, detail: 'the agent closed the connection' };
      if (this.live.get(name) === link) this.forget(link);
      this.metrics.closes.inc({ reason: reason.reason });
      const level = reason.reason === 'agent' || reason.reason === 'replaced' || reason.reason === 'hub' ? 'info' : 'warn';
      log[level]({ agent: name, reason: reason.detail }, 'tunnel closed');
    });
    const drop: Drop = (reason, detail, now) => this.drop(link, reason, detail, now);
    this.register(link, drop).then(
      (ok) => {
        if (!ok) return;
        timers.push(setInterval(() => this.ping(link, drop), this.opts.keepaliveMs).unref());
        timers.push(setInterval(() => this.heartbeat(link, drop), this.opts.announceIntervalMs).unref());
      },
      (err: unknown) => drop('refused', (err as Error).message, true),
    );
  }

  /** Closes every tunnel (hub shutdown); agents reconnect to the next hub with backoff. */
  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.live.values(), ...this.pending];
    for (const link of all) this.drop(link, 'hub', 'the hub is shutting down', true);
    await Promise.all(all.map((l) => (l.session.closed ? undefined : new Promise((r) => l.session.once('close', r)))));
  }

  private async register(link: TunnelLink, drop: Drop): Promise<boolean> {
    const { registry, log } = this.opts;
    let body: unknown;
    try {
      body = await link.announcement(AbortSignal.timeout(ANNOUNCE_TIMEOUT_MS));
    } catch (err) {
      drop('refused', `no announcement: ${(err as Error).message}`, true);
      return false;
    }
    if (!link.open) return false;
    try {
      const ann = await checkAnnouncement(link.name, body, { registry, metrics: this.opts.metrics, log });
      if (!link.open) return false;
      this.pending.delete(link);
      const old = this.live.get(link.name);
      this.live.set(link.name, link);
      // Never two tunnels for one name: the newer one wins (the agent restarted, or its old connection is half-open).
      if (old) this.drop(old, 'replaced', 'replaced by a newer tunnel from the same agent certificate', false);
      this.seriesFor(link.name);
      registry.tunnelUp(link.name);
      await registry.accept(link.name, ann, 'dial-out');
      this.opts.metrics.announcements.inc({ result: 'accepted' });
      log.info({ agent: link.name, peer: link.session.socket?.remoteAddress }, 'tunnel up');
      return true;
    } catch (err) {
      drop('refused', isPulseError(err) ? `announcement refused: ${err.message}` : (err as Error).message, false);
      return false;
    }
  }

  /**
   * The agent's call-duration series made now, at zero, once per agent and process: making it in
   * the first test instead cost that test 1,000 series for 1,000 agents (a fifth more hub CPU in
   * the first round than in the next), and Prometheus sees the series from the start.
   */
  private seriesFor(name: string): void {
    if (this.withSeries.has(name)) return;
    this.withSeries.add(name);
    this.opts.metrics.agentCall.zero({ agent: name });
  }

  private async heartbeat(link: TunnelLink, drop: Drop): Promise<void> {
    if (!link.open || this.live.get(link.name) !== link) return;
    const { registry } = this.opts;
    try {
      const body = await link.announcement(AbortSignal.timeout(ANNOUNCE_TIMEOUT_MS));
      const ann = await checkAnnouncement(link.name, body, { registry, metrics: this.opts.metrics, log: this.opts.log });
      if (this.live.get(link.name) !== link) return;
      await registry.accept(link.name, ann, 'dial-out');
      this.opts.metrics.announcements.inc({ result: 'accepted' });
    } catch (err) {
      // A dead tunnel is found by the keepalive; this is an agent that answers with nonsense.
      if (link.open) drop('refused', `heartbeat: ${(err as Error).message}`, false);
    }
  }

  private ping(link: TunnelLink, drop: Drop): void {
    if (!link.open) return;
    const seconds = this.opts.keepaliveMs / 1000;
    const timer = setTimeout(() => drop('keepalive', `keepalive ping not answered within ${seconds}s`, true), this.opts.keepaliveMs);
    timer.unref();
    try {
      link.session.ping((err) => {
        clearTimeout(timer);
        if (err && link.open) drop('keepalive', `keepalive ping failed: ${err.message}`, true);
      });
    } catch (err) {
      clearTimeout(timer);
      drop('keepalive', `keepalive ping failed: ${(err as Error).message}`, true);
    }
  }

  /** Takes the link out of service at once (its agent turns offline now), then closes it. */
  private drop(link: TunnelLink, reason: TunnelCloseReason, detail: string, now: boolean): void {
    // Remembered for the log line and the metric when the session's close event comes.
    if (!this.why.has(link)) this.why.set(link, { reason, detail });
    if (this.live.get(link.name) === link) this.forget(link);
    this.pending.delete(link);
    link.close(detail, now);
  }

  private forget(link: TunnelLink): void {
    this.live.delete(link.name);
    this.opts.registry.tunnelDown(link.name);
  }
}
