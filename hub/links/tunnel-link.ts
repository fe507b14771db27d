import type { ClientHttp2Session } from 'node:http2';
import { TUNNEL_ANNOUNCEMENT_PATH } from '../../lib/tunnel.js';
import type { RunRequest } from '../../lib/wire.js';
import { type CallOutcome, MAX_ANSWER_BYTES, MAX_RELAY_BYTES, runOutcome } from '../agent-client.js';
import { h2Call, OversizeError } from './h2-call.js';
import type { AgentLink, RelayOutcome, RelayRequest } from './types.js';

/** An announcement is a few hundred bytes; anything near this is not one. */
const MAX_ANNOUNCEMENT_BYTES = 64 * 1024;
/** The same for every run call (session.request copies them). */
const RUN_HEADERS = { ':method': 'POST', ':path': '/api/v1/run', 'content-type': 'application/json', accept: 'application/json' } as const;
/** How long calls in flight may go on after a tunnel is closed gracefully (replaced, refused). */
const CLOSE_GRACE_MS = 2000;

/**
 * A dial-out agent's tunnel seen from the hub: an HTTP/2 client session on the TLS socket the
 * agent opened. Every call is one stream, so any number run at once on one connection.
 */
export class TunnelLink implements AgentLink {
  readonly mode = 'dial-out' as const;

  constructor(
    readonly name: string,
    readonly session: ClientHttp2Session,
    /** Called when the agent broke the protocol (oversize answer): the tunnel is closed with the reason. */
    private readonly onViolation: (reason: string) => void,
  ) {}

  async run(body: RunRequest, signal: AbortSignal): Promise<CallOutcome> {
    try {
      const a = await h2Call(this.session, RUN_HEADERS, JSON.stringify(body), signal, MAX_ANSWER_BYTES);
      return runOutcome(a.status, a.body.toString('utf8'));
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout' };
      return { kind: 'unreachable', message: this.failure(err) };
    }
  }

  async relay(req: RelayRequest, signal: AbortSignal): Promise<RelayOutcome> {
    try {
      const a = await h2Call(this.session, { ...req.headers, ':method': 'GET', ':path': req.path }, undefined, signal, MAX_RELAY_BYTES);
      return { kind: 'answer', status: a.status, contentType: a.contentType, body: a.body };
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout' };
      return { kind: 'unreachable', message: this.failure(err) };
    }
  }

  /** The agent's announcement (registration, then heartbeats); throws when it cannot be had. */
  async announcement(signal: AbortSignal): Promise<unknown> {
    let a: Awaited<ReturnType<typeof h2Call>>;
    try {
      a = await h2Call(this.session, { ':method': 'GET', ':path': TUNNEL_ANNOUNCEMENT_PATH, accept: 'application/json' }, undefined, signal, MAX_ANNOUNCEMENT_BYTES);
    } catch (err) {
      throw new Error(this.failure(err));
    }
    if (a.status !== 200) throw new Error(`the agent answered its announcement with HTTP ${a.status}`);
    try {
      return JSON.parse(a.body.toString('utf8'));
    } catch {
      throw new Error('the agent sent an announcement that is not JSON');
    }
  }

  get open(): boolean {
    return !this.session.closed && !this.session.destroyed;
  }

  /**
   * Tells the agent why (GOAWAY carries the reason; its log shows it), lets calls in flight finish
   * for a moment, then drops the connection. `now` drops it at once (a dead or hostile peer).
   */
  close(reason: string, now = false): void {
    if (this.session.destroyed) return;
    try {
      this.session.goaway(0, 0, Buffer.from(reason.slice(0, 512)));
    } catch {
      // Already closing: nothing to tell.
    }
    if (now) {
      this.session.destroy();
      return;
    }
    this.session.close();
    setTimeout(() => this.session.destroy(), CLOSE_GRACE_MS).unref();
  }

  private failure(err: unknown): string {
    if (err instanceof OversizeError) {
      this.onViolation(`agent sent an ${err.message}`);
      return `tunnel closed: the agent sent an ${err.message}`;
    }
    return `tunnel: ${(err as Error).message}`;
  }
}
