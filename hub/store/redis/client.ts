import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';
import type { HubStore } from '../../../lib/config/hub-store.js';
import { PulseError } from '../../../lib/errors.js';
import { StoreFormatError } from '../results.js';

/** Where the Redis is, for messages: host and port only, never the password in the URL. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'redis';
  }
}

/** Options for ioredis from `hub.store` (pure: files read by the caller's `read`). */
export function redisOptions(store: HubStore, read: (file: string) => Buffer = readFileSync): RedisOptions {
  const opts: RedisOptions = {
    // A command while Redis is away fails at once (the route answers 503) instead of queueing
    // behind a reconnect nobody can predict.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    // Reconnects forever, 100 ms growing to 2 s, with jitter so replicas do not reconnect in step.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000) * (0.5 + Math.random() / 2),
    lazyConnect: true,
  };
  if (store.password_file) opts.password = read(store.password_file).toString('utf8').trim();
  if (store.url?.startsWith('rediss://')) {
    opts.tls = {
      ...(store.ca_file ? { ca: read(store.ca_file) } : {}),
      ...(store.cert_file ? { cert: read(store.cert_file) } : {}),
      ...(store.key_file ? { key: read(store.key_file) } : {}),
    };
  }
  return opts;
}

/**
 * A connected client. Connection failures at start are an error naming the server; later ones are
 * retried in the background while the calls that need Redis fail with PULSE_STORE_UNAVAILABLE.
 */
export async function connectRedis(store: HubStore): Promise<Redis> {
  if (!store.url) throw new PulseError('PULSE_CONFIG_INVALID', 'hub.store.url is required when hub.store.kind is redis (redis://host:6379 or rediss://…)');
  const client = new Redis(store.url, redisOptions(store));
  // Without a listener ioredis prints every failed reconnect; the hub reports them through 503s and logs.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw new PulseError('PULSE_STORE_UNAVAILABLE', `cannot connect to Redis at ${redisWhere(store.url)}: ${(err as Error).message}`);
  }
  return client;
}

/** Runs a Redis call; a connection problem becomes a 503 with the reason. */
export async function guarded<T>(where: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof PulseError) throw err;
    // Another Pulse's record is not an outage: say whose it is.
    if (err instanceof StoreFormatError) throw new PulseError('PULSE_PROTOCOL_MISMATCH', err.message);
    throw new PulseError('PULSE_STORE_UNAVAILABLE', `Redis at ${where} is unavailable: ${(err as Error).message}`);
  }
}
