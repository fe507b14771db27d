import type { Redis } from 'ioredis';
import type { HubSettings } from '../../lib/config/hub.js';
import type { HubStore } from '../../lib/config/hub-store.js';
import { parseDuration } from '../../lib/duration.js';
import { EmbeddedResultStore } from './embedded.js';
import { FileAgentStore } from './file.js';
import { MemoryResultStore } from './memory-results.js';
import { RedisAgentStore } from './redis/agents.js';
import { connectRedis, redisWhere } from './redis/client.js';
import { RedisResultStore } from './redis/results.js';
import type { CounterStore, ResultStore } from './results.js';
import type { AgentStore } from './types.js';

export interface HubStores {
  agents: AgentStore;
  results: ResultStore & CounterStore;
  /** With `kind: redis`: the connection and key prefix replicas also route tunnels and running measurements through. */
  shared?: { redis: Redis; prefix: string; where: string };
}

export interface StoreOverrides {
  /** An agent store given by the caller (tests): results are then kept in memory too, not in data_dir. */
  agents?: AgentStore;
  results?: ResultStore & CounterStore;
}

/** The stores `hub.store` asks for, opened. */
export async function openStores(settings: HubSettings, dataDir: string, given: StoreOverrides = {}): Promise<HubStores> {
  const retentionMs = parseDuration(settings.retention) * 1000;
  if (settings.store?.kind === 'redis') return openRedisStores(settings.store, retentionMs, given);
  const agents = given.agents ?? new FileAgentStore(dataDir);
  const results = given.results ?? (given.agents ? new MemoryResultStore(retentionMs) : new EmbeddedResultStore({ dataDir, retentionMs }));
  await results.open();
  return { agents, results };
}

async function openRedisStores(store: HubStore, retentionMs: number, given: StoreOverrides): Promise<HubStores> {
  const redis = await connectRedis(store);
  const where = redisWhere(store.url ?? '');
  const warn = (m: string) => process.emitWarning(m, 'PulseStoreWarning');
  const results = new RedisResultStore(redis, store.key_prefix, retentionMs, where, Date.now, () => redis.quit().then(() => undefined, () => redis.disconnect()));
  return { agents: given.agents ?? new RedisAgentStore(redis, store.key_prefix, where, warn), results: given.results ?? results, shared: { redis, prefix: store.key_prefix, where } };
}
