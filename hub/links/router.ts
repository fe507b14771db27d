import type { AgentCaller } from '../agent-client.js';
import { connectionMode } from '../registry.js';
import { DirectLink } from './direct.js';
import type { Tunnels } from './tunnels.js';
import type { AgentLink, AgentLinks, LinkTarget } from './types.js';

/** This hub's links: its own tunnels for dial-out agents, calls over mutual TLS for the rest. */
export class LinkRouter implements AgentLinks {
  constructor(
    private readonly caller: AgentCaller,
    private readonly tunnels: Tunnels,
  ) {}

  link(agent: LinkTarget): AgentLink | { offline: string } {
    if (connectionMode(agent) === 'direct') return new DirectLink(this.caller, agent);
    return this.tunnels.get(agent.name) ?? { offline: `agent ${agent.name} dials out and its tunnel to the hub is not connected` };
  }

  async close(): Promise<void> {
    await this.tunnels.close();
    await this.caller.close();
  }
}
