import type { Redis } from 'ioredis';
import type { ConcurrencyQueue } from '../../queue.js';
import type { Registry } from '../../registry.js';
import type { Tunnels } from '../tunnels.js';
import type { AgentLinks } from '../types.js';
import type { DirectoryLog } from './directory.js';
import { SharedLinks } from './shared-links.js';

/**
 * Wires a replica's tunnels into the shared directory: the registry tells it when this hub's own
 * tunnels come and go, and learns from it which agents are tunnelled to other replicas.
 */
export function shareLinks(shared: { redis: Redis; prefix: string }, inner: AgentLinks, tunnels: Tunnels, registry: Registry, log: DirectoryLog, queue?: ConcurrencyQueue): SharedLinks {
  const links = SharedLinks.create({
    redis: shared.redis,
    prefix: shared.prefix,
    inner,
    localTunnel: (agent) => tunnels.get(agent),
    localAgents: () => tunnels.names(),
    onRemoteTunnel: (agent, replica) => registry.remoteTunnel(agent, replica !== null),
    log,
    ...(queue ? { queue } : {}),
  });
  registry.onTunnel((agent, up) => links.tunnel(agent, up));
  return links;
}
