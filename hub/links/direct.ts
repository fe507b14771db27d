import type { RunRequest } from '../../lib/wire.js';
import type { AgentCaller, CallOutcome } from '../agent-client.js';
import type { AgentLink, LinkTarget, RelayOutcome, RelayRequest } from './types.js';

/** An agent the hub calls at its announced URL (mutual TLS, one keep-alive pool per agent). */
export class DirectLink implements AgentLink {
  readonly mode = 'direct' as const;

  constructor(
    private readonly caller: AgentCaller,
    private readonly agent: LinkTarget,
  ) {}

  run(body: RunRequest, signal: AbortSignal): Promise<CallOutcome> {
    return this.caller.run(this.agent, body, signal);
  }

  relay(req: RelayRequest, signal: AbortSignal): Promise<RelayOutcome> {
    return this.caller.relay(this.agent, req, signal);
  }
}
