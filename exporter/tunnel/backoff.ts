/** Reconnect delays of the dial-out tunnel (docs/dial-out.md). */
export interface Backoff {
  /** After a tunnel that was up is lost: the first retry comes within this, each next window doubles. */
  baseMs: number;
  /** The window never grows past this. */
  maxMs: number;
  /** Until the first tunnel is up (the hub may just be starting too): retries at most this far apart. */
  startupMaxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 30_000, startupMaxMs: 1000 };

/** No retry sooner than this, whatever the dice say: a refusing hub is not hammered. */
const FLOOR_MS = 50;

/**
 * The wait before reconnect attempt `attempt` (0 = the first retry). Before any tunnel was up the
 * waits stay short (a quarter second, doubling to `startupMaxMs`, half of it jitter), so agents
 * started before their hub register as soon as it listens. After a tunnel was lost they use full
 * jitter over an exponentially growing window: ten thousand agents that lost a restarting hub
 * come back spread over seconds, not in the same one.
 */
export function reconnectDelay(attempt: number, everConnected: boolean, random: () => number = Math.random, b: Backoff = DEFAULT_BACKOFF): number {
  const n = Math.min(Math.max(0, attempt), 30);
  if (!everConnected) {
    const cap = Math.min(b.startupMaxMs, 250 * 2 ** n);
    return Math.max(FLOOR_MS, cap / 2 + (random() * cap) / 2);
  }
  const cap = Math.min(b.maxMs, b.baseMs * 2 ** n);
  return Math.max(FLOOR_MS, random() * cap);
}
