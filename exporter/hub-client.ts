import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { Agent, request } from 'undici';
import type { ProberName } from '../lib/config/module.js';
import { parseDuration } from '../lib/duration.js';
import { HEARTBEAT_PATH, REGISTER_PATH } from '../lib/wire.js';
import { advertisedUrl, buildAnnouncement } from './announce.js';
import type { Exporter } from './server.js';

export interface HubClient {
  stop(): void;
  /** Resolves after the next announcement attempt (accepted or not); for tests and startup logs. */
  announceNow(): Promise<AnnounceResult>;
}

export type AnnounceResult = { ok: true; name: string } | { ok: false; status?: number; reason: string };

const CALL_TIMEOUT_MS = 10_000;

/**
 * Registers this exporter with the hub over mutual TLS, then heartbeats at the configured
 * interval. A refusal (protocol mismatch, bad announcement) is logged with the hub's reason and
 * retried on the next beat, so fixing the hub or the exporter needs no restart of the other.
 */
export function startHubClient(exporter: Exporter, address: AddressInfo | string | null, log: FastifyBaseLogger): HubClient | undefined {
  const settings = exporter.state().config.exporter.hub;
  if (!settings) return undefined;
  const dispatcher = hubDispatcher(settings);
  const intervalMs = Math.max(0.1, parseDuration(settings.heartbeat_interval ?? '15s')) * 1000;
  /** What the hub asked for in its last answer: it knows when it will call an agent inactive. */
  let hubIntervalMs = Number.POSITIVE_INFINITY;
  let registered = false;
  let lastProblem = '';
  let stopped = false;

  async function announce(): Promise<AnnounceResult> {
    const state = exporter.state();
    const hub = state.config.exporter.hub ?? settings!;
    // Every registered prober has a limiter; the names come from there.
    const names: ProberName[] = [...state.limiters.keys()];
    const path = registered ? HEARTBEAT_PATH : REGISTER_PATH;
    try {
      const body = buildAnnouncement(state, advertisedUrl(state, address), names);
      const res = await request(new URL(path, hub.url), {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      const json = (await res.body.json().catch(() => ({}))) as { name?: string; heartbeat_interval_seconds?: unknown; error?: { message?: string } };
      if (res.statusCode === 200) {
        const asked = json.heartbeat_interval_seconds;
        // Floored so a confused hub cannot make its agents beat in a tight loop.
        if (typeof asked === 'number' && Number.isFinite(asked) && asked > 0) hubIntervalMs = Math.max(100, asked * 1000);
        if (!registered || lastProblem) log.info({ hub: hub.url, name: json.name }, 'registered with the hub');
        registered = true;
        lastProblem = '';
        return { ok: true, name: json.name ?? '' };
      }
      registered = false;
      const reason = json.error?.message ?? `HTTP ${res.statusCode}`;
      report(`hub refused this exporter: ${reason}`, { status: res.statusCode });
      return { ok: false, status: res.statusCode, reason };
    } catch (err) {
      registered = false;
      const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      report(`cannot reach the hub: ${reason}`, {});
      return { ok: false, reason };
    }
  }

  // The same problem on every beat is logged once, then again only when it changes.
  function report(problem: string, fields: Record<string, unknown>): void {
    // An announcement cut short by stop() is shutdown, not a problem.
    if (stopped || problem === lastProblem) return;
    lastProblem = problem;
    log.error({ hub: settings!.url, ...fields }, problem);
  }

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<AnnounceResult> = announce();
  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = announce().finally(loop);
    }, Math.min(intervalMs, hubIntervalMs));
    timer.unref();
  };
  current.finally(loop);

  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      dispatcher.destroy().catch(() => undefined);
    },
    announceNow() {
      current = current.then(announce, announce);
      return current;
    },
  };
}

/** One mutual-TLS connection to the hub's agents' port, with this exporter's certificate. */
function hubDispatcher(settings: { ca_file: string; cert_file: string; key_file: string }): Agent {
  return new Agent({
    connect: {
      ca: readFileSync(settings.ca_file),
      cert: readFileSync(settings.cert_file),
      key: readFileSync(settings.key_file),
      rejectUnauthorized: true,
    },
    connections: 1,
  });
}
